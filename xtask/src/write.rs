//! Atomic replacement of generated files, and the staleness check behind `--check`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Already up to date; not touched.
    Unchanged,
    /// Written (new or changed content).
    Written,
}

/// Replaces `path` with `contents` when they differ: the new text goes to a temporary file
/// in the same folder, is flushed to disk, then renamed over the old file. A crash at any
/// point leaves either the old file or the new one, never a mix, and the temporary file is
/// removed on every error path.
pub fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<Status> {
    if fs::read(path).ok().as_deref() == Some(contents.as_bytes()) {
        return Ok(Status::Unchanged);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| Status::Written)
}

/// The temporary name used while replacing `path` (same folder, so `rename` is atomic).
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp{}", std::process::id()))
}

/// The generated files whose content on disk differs from `files` (missing ones included).
pub fn stale(root: &Path, files: &[codegen::GeneratedFile]) -> Vec<String> {
    files
        .iter()
        .filter(|f| fs::read(root.join(&f.path)).ok().as_deref() != Some(f.contents.as_bytes()))
        .map(|f| f.path.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_only_when_content_changes() {
        let dir = scratch("change");
        let p = dir.join("a.rs");
        assert_eq!(write_if_changed(&p, "one").unwrap(), Status::Written);
        assert_eq!(write_if_changed(&p, "one").unwrap(), Status::Unchanged);
        assert_eq!(write_if_changed(&p, "two").unwrap(), Status::Written);
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name() != "a.rs")
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    }

    #[test]
    fn failed_write_keeps_old_file_and_leaves_no_temp() {
        let dir = scratch("fail");
        let p = dir.join("a.rs");
        fs::write(&p, "old").unwrap();
        // A directory where the temporary file must go makes creating it fail, the way a
        // full disk or a crash before the rename would: the old content must survive.
        fs::create_dir(temp_path(&p)).unwrap();
        assert!(write_if_changed(&p, "new").is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        fs::remove_dir(temp_path(&p)).unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn interrupted_write_before_rename_leaves_old_file_intact() {
        let dir = scratch("crash");
        let p = dir.join("a.rs");
        fs::write(&p, "old").unwrap();
        // Simulate a crash after the temporary file was half written, before the rename.
        fs::write(temp_path(&p), "ne").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
        // The next run replaces both cleanly.
        assert_eq!(write_if_changed(&p, "new").unwrap(), Status::Written);
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert!(!temp_path(&p).exists());
    }
}
