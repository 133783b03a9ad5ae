package nixgen

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach calls f(i) for every i from 0 to n-1, on up to GOMAXPROCS
// goroutines, and returns when all calls have. The calls must be
// independent: each writes only what belongs to its own i, so that the
// result does not depend on the order they run in. A panic in f is
// raised again in the caller once the other calls are done.
func forEach(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Pointer[any]
	)
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, &r)
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || panicked.Load() != nil {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
	if p := panicked.Load(); p != nil {
		panic(*p)
	}
}
