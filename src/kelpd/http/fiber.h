// Stackful fibers for request handlers on the RADOS backend. Internal to kelpd/http
// (includes Asio; never include it from a public header).
//
// SpawnFiber runs `body` (plain blocking C++: the Handler) on a fiber of its own (Boost.Context,
// a guarded stack of `stack_bytes`) driven by `strand`, with a kelp::Suspender installed
// (base/suspend.h). Every kelp::Await inside the body — a RADOS op's completion, a body read or
// response write of the connection's coroutine — parks the fiber and hands the I/O thread back
// to the executor; resume() posts the fiber's continuation onto the strand. So no I/O thread
// ever blocks on the cluster, and one request costs a stack's touched pages, not a thread.
// This is radosgw's beast frontend model (a spawn::yield_context per request).
//
// `strand` must serialise its handlers (an Asio strand, or an io_context run by one thread):
// a resume posted while the fiber is still switching out must not run concurrently with it.
// `body` must not throw. A fiber still parked when its strand's io_context is destroyed is
// leaked, not unwound (its frames may refer to objects already gone).
#pragma once

#include <cstddef>
#include <functional>

#include <boost/asio/any_io_executor.hpp>

namespace kelp::http {

void SpawnFiber(const boost::asio::any_io_executor& strand, std::function<void()> body,
                size_t stack_bytes);

}  // namespace kelp::http
