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
	runEach(n, runtime.GOMAXPROCS(0), func(i int) bool {
		f(i)
		return true
	})
}

// ioEach calls fn(i) for every i from 0 to n-1, from up to [ioWorkers]
// goroutines, and returns the error of each call, indexed like the calls.
// fn must write only what belongs to its own i. A panic in fn is raised
// again in the caller once the other calls are done.
//
// With stop, no call starts after one failed. The calls start in order,
// so every call before the first that fails has run all the same: the
// first error in the order of the calls is the same as without stop.
func ioEach(n int, stop bool, fn func(i int) error) []error {
	if n == 0 {
		return nil
	}
	errs := make([]error, n)
	runEach(n, ioWorkers, func(i int) bool {
		errs[i] = fn(i)
		return !stop || errs[i] == nil
	})
	return errs
}

// runEach calls f(i) for i from 0 to n-1, in that order, from up to
// workers goroutines, until every call has run or a call returns false;
// no call starts after that. A panic in f stops the calls too, and is
// raised again in the caller once the calls under way are done.
func runEach(n, workers int, f func(i int) bool) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			if !f(i) {
				return
			}
		}
		return
	}
	var (
		next     atomic.Int64
		stopped  atomic.Bool
		wg       sync.WaitGroup
		panicked atomic.Pointer[any]
	)
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, &r)
					stopped.Store(true)
				}
			}()
			for !stopped.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if !f(i) {
					stopped.Store(true)
				}
			}
		})
	}
	wg.Wait()
	if p := panicked.Load(); p != nil {
		panic(*p)
	}
}
