package vault

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// A dictDeflater compresses values into raw DEFLATE (RFC 1951) primed with
// [fhirDictionary], the stream flagDeflateDict values hold: any inflater
// given the dictionary reads it (the vault's is compress/flate's).
//
// It is the vault's fast path. compress/flate primes every value's window
// by hashing the whole dictionary again and builds Huffman tables for every
// value; for the small values an import stores by the ten thousand, that was
// most of an import's time. Here the dictionary is hashed once, for all
// values (dictHeads), each value's own matches are found with a table that
// is never cleared (entries carry the value's generation), and the one
// block uses the fixed Huffman codes (what compress/flate chose for most
// small values anyway). Matching is greedy, one candidate in the value and
// one in the dictionary per position.
type dictDeflater struct {
	buf   []byte                // the dictionary, then the value
	heads [1 << hashBits]uint64 // generation<<32 | position+1 in buf
	prev  [windowSize]uint32    // per position of the value (mod the window): the previous one (+1) with its hash
	gen   uint64
	out   []byte
	acc   uint64 // bits not yet written, low bits first
	nacc  uint
}

const (
	hashBits   = 15
	minMatch   = 4
	maxMatch   = 258
	windowSize = 1 << 15
)

var deflaters = sync.Pool{New: func() any { return new(dictDeflater) }}

// dictHeads maps each 4-byte hash to the last position in the dictionary
// with it (plus 1; 0 for none): the dictionary's matches, found once.
// dictPrev[i] is the previous position (plus 1) with position i's hash.
var dictHeads, dictPrev = func() (*[1 << hashBits]uint32, []uint32) {
	var t [1 << hashBits]uint32
	prev := make([]uint32, len(fhirDict))
	for i := 0; i+minMatch <= len(fhirDict); i++ {
		h := hash4(fhirDict[i:])
		prev[i] = t[h]
		t[h] = uint32(i + 1)
	}
	return &t, prev
}()

// maxProbes caps the candidates tried per position, in the value and in
// the dictionary each.
const maxProbes = 4

func hash4(b []byte) uint32 {
	return (binary.LittleEndian.Uint32(b) * 0x1e35a7bd) >> (32 - hashBits)
}

// deflateDict returns the concatenation of parts compressed against the
// dictionary, appended to dst.
func deflateDict(dst []byte, parts ...[]byte) []byte {
	d := deflaters.Get().(*dictDeflater)
	defer deflaters.Put(d)
	d.out = dst
	d.buf = append(d.buf[:0], fhirDict...)
	for _, p := range parts {
		d.buf = append(d.buf, p...)
	}
	d.encode()
	dst = d.out
	d.out = nil
	if cap(d.buf) > 1<<18 {
		d.buf = nil // a large value's buffer is not kept for the next
	}
	return dst
}

// encode compresses d.buf past the dictionary into d.out.
func (d *dictDeflater) encode() {
	d.gen++
	base := len(fhirDict)
	buf := d.buf
	d.acc, d.nacc = 0, 0
	d.bits(3, 3) // BFINAL 1, BTYPE 01: the last block, fixed Huffman codes
	gen := d.gen << 32
	i := base
	lit := base // start of the literals not yet written
	prev := &d.prev
	insert := func(j int) {
		h := hash4(buf[j:])
		if e := d.heads[h]; e>>32 == d.gen {
			prev[j%windowSize] = uint32(e)
		} else {
			prev[j%windowSize] = 0
		}
		d.heads[h] = gen | uint64(j+1)
	}
	for i+minMatch <= len(buf) {
		h := hash4(buf[i:])
		bestLen, bestDist := 0, 0
		if e := d.heads[h]; e>>32 == d.gen {
			c := int(uint32(e)) - 1
			for p := 0; p < maxProbes && c >= base && i-c <= windowSize; p++ {
				if n := matchLen(buf, c, i); n > bestLen {
					bestLen, bestDist = n, i-c
					if n == maxMatch {
						break
					}
				}
				c = int(prev[c%windowSize]) - 1
			}
		}
		c := int(dictHeads[h]) - 1
		for p := 0; p < maxProbes && c >= 0 && i-c <= windowSize && bestLen < maxMatch; p++ {
			if n := matchLen(buf, c, i); n > bestLen {
				bestLen, bestDist = n, i-c
			}
			c = int(dictPrev[c]) - 1
		}
		insert(i)
		if bestLen < minMatch {
			i++
			continue
		}
		for ; lit < i; lit++ {
			d.literal(buf[lit])
		}
		d.match(bestLen, bestDist)
		// Index the first few positions the match covers, for later matches
		// (more cost more than they save).
		end := i + bestLen
		for j := i + 1; j < end && j < i+4 && j+minMatch <= len(buf); j++ {
			insert(j)
		}
		i, lit = end, end
	}
	for ; lit < len(buf); lit++ {
		d.literal(buf[lit])
	}
	d.code(fixedLit[256])
	if d.nacc > 0 {
		d.flush(true)
	}
}

// matchLen is the length of the common run at a and b (a < b), at most
// maxMatch.
func matchLen(buf []byte, a, b int) int {
	n := 0
	limit := min(maxMatch, len(buf)-b)
	for n+8 <= limit {
		x := binary.LittleEndian.Uint64(buf[a+n:]) ^ binary.LittleEndian.Uint64(buf[b+n:])
		if x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < limit && buf[a+n] == buf[b+n] {
		n++
	}
	return n
}

// huff is a Huffman code already bit-reversed for the low-bits-first stream.
type huff struct {
	code uint16
	n    uint8
}

// fixedLit and fixedDist are RFC 1951's fixed codes (3.2.6).
var fixedLit, fixedDist = func() (lit [288]huff, dist [30]huff) {
	for v := range 288 {
		var code, n int
		switch {
		case v < 144:
			code, n = 0x30+v, 8
		case v < 256:
			code, n = 0x190+v-144, 9
		case v < 280:
			code, n = v-256, 7
		default:
			code, n = 0xc0+v-280, 8
		}
		lit[v] = huff{uint16(bits.Reverse16(uint16(code)) >> (16 - n)), uint8(n)}
	}
	for v := range 30 {
		dist[v] = huff{uint16(bits.Reverse16(uint16(v)) >> 11), 5}
	}
	return
}()

// Length and distance codes: the base value of each code and the number of
// extra bits after it (RFC 1951 3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint32{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// lengthCode[l-3] is the length code (0-28) of match length l.
var lengthCode = func() (t [maxMatch - 2]uint8) {
	c := 0
	for l := 3; l <= maxMatch; l++ {
		for c+1 < len(lengthBase) && int(lengthBase[c+1]) <= l {
			c++
		}
		t[l-3] = uint8(c)
	}
	return
}()

func distCode(dist int) int {
	if dist <= 4 {
		return dist - 1
	}
	// Two codes per power of two above 4.
	k := bits.Len32(uint32(dist-1)) - 1 // floor(log2(dist-1))
	return 2*k + int((dist-1)>>(k-1)&1)
}

func (d *dictDeflater) literal(b byte) { d.code(fixedLit[b]) }

func (d *dictDeflater) match(length, dist int) {
	lc := lengthCode[length-3]
	d.code(fixedLit[257+int(lc)])
	if e := lengthExtra[lc]; e > 0 {
		d.bits(uint64(length-int(lengthBase[lc])), uint(e))
	}
	dc := distCode(dist)
	d.code(fixedDist[dc])
	if e := distExtra[dc]; e > 0 {
		d.bits(uint64(dist-int(distBase[dc])), uint(e))
	}
}

func (d *dictDeflater) code(h huff) { d.bits(uint64(h.code), uint(h.n)) }

func (d *dictDeflater) bits(v uint64, n uint) {
	d.acc |= v << d.nacc
	d.nacc += n
	if d.nacc >= 48 {
		d.flush(false)
	}
}

// flush writes the whole bytes of the accumulator (all of it, the last
// byte padded with zeros, when final).
func (d *dictDeflater) flush(final bool) {
	for d.nacc >= 8 {
		d.out = append(d.out, byte(d.acc))
		d.acc >>= 8
		d.nacc -= 8
	}
	if final && d.nacc > 0 {
		d.out = append(d.out, byte(d.acc))
		d.acc, d.nacc = 0, 0
	}
}
