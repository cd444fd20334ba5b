package vault

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"

	"github.com/kinfolio/kinfolio/record"

	bolt "go.etcd.io/bbolt"
)

// Hooks for the tests in package vault_test.

// SetFormatForTest rewrites a closed vault's header with another format
// number, as a newer (or older) Kinfolio would have written it.
func SetFormatForTest(path string, format int) error {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bolt.Tx) error {
		hs, err := readHeaderAnyVersion(tx)
		if err != nil {
			return err
		}
		hs.Format = format
		return tx.Bucket([]byte(bucketHeader)).Put(keyHeader, encodeHeader(*hs))
	})
}

func readHeaderAnyVersion(tx *bolt.Tx) (*header, error) {
	raw := tx.Bucket([]byte(bucketHeader)).Get(keyHeader)
	var h header
	if err := json.Unmarshal(raw[32:], &h); err != nil {
		return nil, err
	}
	return &h, nil
}

// KeyForTest returns a copy of the open vault's key.
func KeyForTest(v *Vault) []byte {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return slices.Clone(v.key)
}

// OpenableWithKeyForTest counts the sealed values of a closed vault that
// open with key.
func OpenableWithKeyForTest(path string, key []byte) int {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return -1
	}
	defer db.Close()
	n := 0
	db.View(func(tx *bolt.Tx) error {
		hs, err := readHeader(tx)
		if err != nil {
			return err
		}
		s, err := newSealer(key, hs.id)
		if err != nil {
			return err
		}
		for _, name := range append([]string{bucketHeader}, sealedBuckets...) {
			tx.Bucket([]byte(name)).ForEach(func(k, v []byte) error {
				if _, err := s.open(name, k, v); err == nil {
					n++
				}
				return nil
			})
		}
		return nil
	})
	return n
}

// SwapValuesForTest exchanges the sealed values of two keys in a bucket of
// a closed vault (the first two keys), as an attacker editing the file
// could. It returns the bucket's name for messages.
func SwapValuesForTest(path, bucketName string) error {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucketName))
		c := b.Cursor()
		k1, v1 := c.First()
		k2, v2 := c.Next()
		k1, v1, k2, v2 = bytes.Clone(k1), bytes.Clone(v1), bytes.Clone(k2), bytes.Clone(v2)
		if err := b.Put(k1, v2); err != nil {
			return err
		}
		return b.Put(k2, v1)
	})
}

// SealedBucketsForTest lists the buckets whose values are sealed.
var SealedBucketsForTest = sealedBuckets

// UsedBytesForTest is how much of a closed vault file bbolt's current meta
// page says is in use (the rest is room to grow).
func UsedBytesForTest(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	m, ok, _ := readMetas(f)
	if !ok {
		return 0
	}
	return int(m.pgid) * int(m.pageSize)
}

// EntryJSONForTest is the line a backup writes for an entry (ok false
// where encoding/json would refuse it).
func EntryJSONForTest(e *record.Entry) ([]byte, bool) { return appendEntryJSON(nil, e) }

// SealChunksAsBeforeForTest reseals every chunk of the originals in a
// closed vault the way Kinfolio did before chunks were laid out for
// backups (deflated against the dictionary, or raw where that does not
// pay), as vaults made then hold them. It returns how many chunks it
// resealed.
func SealChunksAsBeforeForTest(path string, key []byte) (int, error) {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	n := 0
	err = db.Update(func(tx *bolt.Tx) error {
		hs, err := readHeader(tx)
		if err != nil {
			return err
		}
		s, err := newSealer(key, hs.id)
		if err != nil {
			return err
		}
		b := tx.Bucket([]byte(bucketBlobs))
		type kv struct{ k, v []byte }
		var old []kv
		err = b.ForEach(func(k, v []byte) error {
			plain, err := s.open(bucketBlobs, k, v)
			if err != nil || len(plain) == 0 {
				return err
			}
			// a head and a tail: sealParts's path for other values
			old = append(old, kv{bytes.Clone(k), s.sealParts(bucketBlobs, k, plain[:1], plain[1:])})
			return nil
		})
		if err != nil {
			return err
		}
		for _, x := range old {
			if err := b.Put(x.k, x.v); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
