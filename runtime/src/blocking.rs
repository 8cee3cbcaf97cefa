//! The runtime of blocking clients (feature `blocking`): a tokio runtime on a thread of its own,
//! as `reqwest::blocking` has, on which a generated blocking client's calls run.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::transport::TransportError;

/// The private runtime of a generated blocking client and its clones.
///
/// Its thread starts with the first call and ends when the last clone is dropped. The thread
/// drives the connections (I/O, timers, the pool's tasks); each call's future is polled on the
/// calling thread with [`Handle::block_on`](tokio::runtime::Handle::block_on), so calls borrow
/// their requests and run in the caller's tracing span.
#[derive(Clone, Default)]
pub struct BlockingRuntime {
    inner: Arc<Mutex<Option<Running>>>,
}

impl fmt::Debug for BlockingRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlockingRuntime")
    }
}

/// A started runtime: its handle, and the signal that ends its thread when dropped.
struct Running {
    handle: tokio::runtime::Handle,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Why a blocking call was refused before anything was sent.
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error(
        "a blocking SOAP call was made from inside an async runtime, whose thread it would block: \
         use the async client there (or call from a thread of your own, `std::thread::spawn`)"
    )]
    InsideAsyncRuntime,
    #[error("cannot start the blocking client's runtime: {0}")]
    Start(std::io::Error),
}

impl BlockingRuntime {
    /// A runtime that starts with its first call.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `call` to its end on the calling thread, with this runtime driving its I/O and
    /// timers. Refused with [`Error::Exchange`], without sending anything, when called from
    /// inside an async runtime (tokio's, this one's included), where blocking would stall other
    /// tasks or deadlock.
    pub fn block_on<T, S, F>(&self, call: F) -> Result<T, Error<S>>
    where
        F: Future<Output = Result<T, Error<S>>>,
        S: fmt::Debug + fmt::Display,
    {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Exchange(TransportError::other(Refused::InsideAsyncRuntime)));
        }
        let handle = self.handle().map_err(|e| Error::Exchange(TransportError::connect(e)))?;
        handle.block_on(call)
    }

    fn handle(&self) -> Result<tokio::runtime::Handle, Refused> {
        let mut running = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(running) = &*running {
            return Ok(running.handle.clone());
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Refused::Start)?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("wsdlgen-blocking".into())
            .spawn(move || {
                // Drives I/O, timers and spawned tasks until the last clone is dropped.
                runtime.block_on(async {
                    let _ = stopped.await;
                });
            })
            .map_err(Refused::Start)?;
        *running = Some(Running { handle: handle.clone(), _stop: stop });
        Ok(handle)
    }
}
