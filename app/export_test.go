package app

// DropCache forgets the views cached since the last change, so a benchmark
// measures a read as the first one after a change does.
func (s *Session) DropCache() { s.cache.drop() }
