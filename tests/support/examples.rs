//! Building and running the examples of `services87` from tests, with the same cargo and
//! profile as the test itself.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bound on building an example (it may have to compile the generated bindings).
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(900);
/// Bound on one run of an example.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// `<target>/<profile>`: this test runs from `<target>/<profile>/deps/`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let deps = exe.parent().expect("the test executable's directory");
    assert_eq!(deps.file_name().and_then(|n| n.to_str()), Some("deps"), "unexpected test location {}", exe.display());
    deps.parent().expect("profile directory").to_path_buf()
}

/// The binary of `services87`'s example `name`, built on first use (once per test process)
/// with the crate's `server` and `blocking` features, as the workspace's tests build `services87` (so the
/// nested build reuses their artifacts).
pub fn example_binary(name: &str) -> PathBuf {
    static BINARIES: Mutex<Vec<(String, Result<PathBuf, String>)>> = Mutex::new(Vec::new());
    let mut binaries = BINARIES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, built)) = binaries.iter().find(|(n, _)| n == name) {
        return built.clone().unwrap_or_else(|e| panic!("{e}"));
    }
    let built = (|| {
        let profile_dir = profile_dir();
        let mut cargo = Command::new(env!("CARGO"));
        cargo.current_dir(workspace_root()).args([
            "build",
            "-q",
            "-p",
            "services87",
            "--features",
            "server,blocking",
            "--example",
            name,
        ]);
        // Variables cargo set for this test's own package must not leak into the nested build:
        // build scripts that watch them (ring watches CARGO_MANIFEST_DIR) would rerun and
        // invalidate the shared target directory on every test run.
        for (name, _) in std::env::vars_os() {
            let Some(name) = name.to_str() else { continue };
            if name.starts_with("CARGO_PKG_")
                || matches!(
                    name,
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_MANIFEST_LINKS"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_BIN_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                        | "CARGO_TARGET_TMPDIR"
                        | "CARGO_RUSTC_CURRENT_DIR"
                        | "OUT_DIR"
                )
            {
                cargo.env_remove(name);
            }
        }
        match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => {}
            Some("release") => {
                cargo.arg("--release");
            }
            Some(other) => {
                cargo.args(["--profile", other]);
            }
            None => return Err(format!("cannot tell the profile from {}", profile_dir.display())),
        }
        if let Some(target_dir) = profile_dir.parent() {
            cargo.arg("--target-dir").arg(target_dir);
        }
        let output = run_bounded(cargo, BUILD_TIMEOUT).map_err(|e| format!("cargo build failed to run: {e}"))?;
        if !output.status.success() {
            return Err(format!("cargo build of the example failed ({}):\n{}", output.status, output.stderr));
        }
        let binary = profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        if !binary.is_file() {
            return Err(format!("the example was built but {} does not exist", binary.display()));
        }
        Ok(binary)
    })();
    binaries.push((name.to_owned(), built.clone()));
    built.unwrap_or_else(|e| panic!("{e}"))
}

/// What a finished process printed and how it ended.
pub struct Output {
    /// How it ended.
    pub status: ExitStatus,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

impl Output {
    /// The exit code.
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs `command` to completion, killing it after `timeout`.
pub fn run_bounded(mut command: Command, timeout: Duration) -> Result<Output, String> {
    let mut child: Child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let stdout = reader(child.stdout.take().expect("piped stdout"));
    let stderr = reader(child.stderr.take().expect("piped stderr"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{command:?} did not finish within {timeout:?}"));
            }
            Err(e) => return Err(format!("waiting for {command:?}: {e}")),
        }
    };
    Ok(Output { status, stdout: stdout.join().expect("stdout reader"), stderr: stderr.join().expect("stderr reader") })
}
