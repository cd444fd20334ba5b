package backup

import (
	"bytes"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
)

// blockSize is how much of a file one worker compresses at a time.
const blockSize = 1 << 20

// deflateLevel is flate.BestSpeed: backups are written at disk speed,
// and originals are mostly XML and JSON, which still shrink 5-10 times.
// The compressor is github.com/klauspost/compress's, about twice as fast
// as the standard library's at this level (its output is plain deflate).
const deflateLevel = flate.BestSpeed

var flaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, deflateLevel)
	return w
}}

var blocks = sync.Pool{New: func() any { return make([]byte, 0, blockSize) }}

var outputs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// parallelDeflate is a deflate stream compressed on every CPU: the input
// is cut in blocks of [blockSize], each compressed on its own and ended
// with a sync flush (byte-aligned, not final), the outputs written in
// order and the stream ended with an empty final block. The result is
// one ordinary deflate stream (as pgzip and pigz make them), a little
// larger than one compressor would make since no block refers back into
// the one before.
type parallelDeflate struct {
	w       io.Writer
	block   []byte
	pending []*deflateJob
	limit   chan struct{}
	err     error
}

type deflateJob struct {
	out  *bytes.Buffer
	done chan struct{}
}

func newParallelDeflate(w io.Writer) *parallelDeflate {
	n := runtime.GOMAXPROCS(0)
	return &parallelDeflate{w: w, limit: make(chan struct{}, n)}
}

func (d *parallelDeflate) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n := len(p)
	for len(p) > 0 {
		if d.block == nil {
			d.block = blocks.Get().([]byte)[:0]
		}
		k := min(len(p), blockSize-len(d.block))
		d.block = append(d.block, p[:k]...)
		p = p[k:]
		if len(d.block) == blockSize {
			d.submit()
			if err := d.drain(false); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// submit starts compressing the current block.
func (d *parallelDeflate) submit() {
	in := d.block
	d.block = nil
	j := &deflateJob{out: outputs.Get().(*bytes.Buffer), done: make(chan struct{})}
	j.out.Reset()
	d.pending = append(d.pending, j)
	d.limit <- struct{}{}
	go func() {
		fw := flaters.Get().(*flate.Writer)
		fw.Reset(j.out)
		fw.Write(in)
		fw.Flush()
		flaters.Put(fw)
		blocks.Put(in[:0])
		<-d.limit
		close(j.done)
	}()
}

// drain writes the finished blocks at the head of the queue; with all,
// it waits for every block. It also waits while too many are in flight.
func (d *parallelDeflate) drain(all bool) error {
	for len(d.pending) > 0 {
		j := d.pending[0]
		if !all && len(d.pending) <= 2*cap(d.limit) {
			select {
			case <-j.done:
			default:
				return nil
			}
		}
		<-j.done
		if d.err == nil {
			_, d.err = d.w.Write(j.out.Bytes())
		}
		outputs.Put(j.out)
		d.pending = d.pending[1:]
	}
	return d.err
}

func (d *parallelDeflate) Close() error {
	if d.block != nil && len(d.block) > 0 {
		d.submit()
	}
	if err := d.drain(true); err != nil {
		return err
	}
	// The final, empty block.
	fw := flaters.Get().(*flate.Writer)
	fw.Reset(d.w)
	err := fw.Close()
	flaters.Put(fw)
	return err
}
