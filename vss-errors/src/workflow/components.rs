//! Component-mode backup on the typed session: read every writer's metadata, choose
//! components (everything selectable, by writer, by logical path), add what the
//! documentation requires with them (a writer's non-selectable components that no
//! selectable one contains, and the components a chosen one depends on), snapshot the
//! volumes their files live on, then map each file set into the snapshot and report each
//! component's result.

use super::session::stage::{MetadataGathered, Snapshotted};
use super::session::{BackupSession, SessionError, StepError};
use crate::com::model::{ComponentType, FileSet, WriterInfo};
use crate::com::BackupComponents;
use crate::com::GUID;
use crate::error::AnyError;

/// A component as the calls name it: its writer, type, logical path and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ComponentKey {
    /// The writer instance.
    pub instance_id: GUID,
    /// The writer class.
    pub writer_id: GUID,
    /// The writer's name.
    pub writer: String,
    /// `VSS_COMPONENT_TYPE`.
    pub component_type: ComponentType,
    /// Logical path (empty when none).
    pub logical_path: String,
    /// Name.
    pub name: String,
}

impl ComponentKey {
    /// The key of a writer's component.
    pub fn of(w: &WriterInfo, c: &crate::com::model::WriterComponent) -> Self {
        ComponentKey {
            instance_id: w.instance_id,
            writer_id: w.writer_id,
            writer: w.name.clone(),
            component_type: c.component_type,
            logical_path: c.info.logical_path.clone(),
            name: c.info.name.clone(),
        }
    }

    /// `logical_path\name`, or the name alone.
    pub fn full_path(&self) -> String {
        full_path(&self.logical_path, &self.name)
    }
}

fn full_path(logical_path: &str, name: &str) -> String {
    if logical_path.is_empty() {
        name.to_string()
    } else {
        format!("{logical_path}\\{name}")
    }
}

/// Which components to back up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    all: bool,
    writers: Vec<String>,
    paths: Vec<String>,
}

impl Selection {
    /// Every selectable component of every writer.
    pub fn all() -> Self {
        Selection {
            all: true,
            ..Selection::default()
        }
    }

    /// Every selectable component of the writer with this name.
    pub fn writer(name: &str) -> Self {
        Selection::default().and_writer(name)
    }

    /// The selectable components at or under a logical path (`Instance1\a` or `Instance1`),
    /// compared case-insensitively as VSS does.
    pub fn path(path: &str) -> Self {
        Selection::default().and_path(path)
    }

    /// This selection and a writer's components too.
    pub fn and_writer(mut self, name: &str) -> Self {
        self.writers.push(name.to_string());
        self
    }

    /// This selection and the components under a logical path too.
    pub fn and_path(mut self, path: &str) -> Self {
        self.paths
            .push(path.trim_matches('\\').to_ascii_lowercase());
        self
    }

    pub(super) fn picks(&self, writer: &WriterInfo, logical_path: &str, name: &str) -> bool {
        if self.all
            || self
                .writers
                .iter()
                .any(|w| w.eq_ignore_ascii_case(&writer.name))
        {
            return true;
        }
        let full = full_path(logical_path, name).to_ascii_lowercase();
        self.paths
            .iter()
            .any(|p| full == *p || full.starts_with(&format!("{p}\\")))
    }
}

/// A chosen component, with its writer's metadata for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChosenComponent {
    pub key: ComponentKey,
    /// Files, databases and logs.
    pub files: Vec<FileSet>,
    /// The writer's exclude list.
    pub excludes: Vec<FileSet>,
    /// Why it is in the backup.
    pub reason: Reason,
    /// What the caller reported (`SetBackupSucceeded`).
    pub reported: Option<bool>,
}

/// Why a component is in the backup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The selection picked it.
    Selected,
    /// Not selectable, and no selectable component contains it: always backed up.
    NotSelectable,
    /// A chosen component depends on it.
    Dependency,
}

/// The chosen components of a session.
#[derive(Clone, Debug, Default)]
pub(crate) struct Chosen {
    pub list: Vec<ChosenComponent>,
}

impl Chosen {
    /// The volumes the chosen components' files live on, in order, once each.
    pub fn volumes(&self, volume_of: fn(&str) -> Option<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for f in self.list.iter().flat_map(|c| &c.files) {
            if let Some(v) = volume_of(&f.path) {
                if !out.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
                    out.push(v);
                }
            }
        }
        out
    }

    /// `SetBackupSucceeded(false)` for every component the caller did not report.
    pub fn report_unreported(&mut self, b: &BackupComponents) -> Result<(), AnyError> {
        for c in self.list.iter_mut().filter(|c| c.reported.is_none()) {
            let k = &c.key;
            b.set_backup_succeeded(
                k.instance_id,
                k.writer_id,
                k.component_type.raw(),
                &k.logical_path,
                &k.name,
                false,
            )
            .map_err(AnyError::new)?;
            c.reported = Some(false);
        }
        Ok(())
    }

    pub fn results(&self) -> Vec<ComponentResult> {
        self.list
            .iter()
            .map(|c| ComponentResult {
                key: c.key.clone(),
                reason: c.reason,
                succeeded: c.reported == Some(true),
            })
            .collect()
    }
}

/// What the backup recorded for one component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentResult {
    /// The component.
    pub key: ComponentKey,
    /// Why it was in the backup.
    pub reason: Reason,
    /// Whether the caller reported its backup as succeeded.
    pub succeeded: bool,
}

/// A file set mapped into the snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedFileSet {
    /// The folder on the live volume, as the writer states it.
    pub live_path: String,
    /// The same folder in the snapshot: read from here.
    pub snapshot_path: String,
    /// The file name pattern.
    pub filespec: String,
    /// Whether subfolders are included.
    pub recursive: bool,
    /// Where the writer wants it restored instead (empty when none).
    pub alternate_location: String,
}

/// Whether a file name matches a VSS filespec: `*` any run, `?` one character, compared
/// case-insensitively as Windows does.
pub fn filespec_matches(filespec: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) => a.to_lowercase().eq(b.to_lowercase()) && go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = filespec.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

impl MappedFileSet {
    /// Whether a file in the snapshot (`folder` and `name`) belongs to the set: in its folder,
    /// or below it when recursive, with a name its filespec matches.
    pub fn holds(&self, folder: &str, name: &str) -> bool {
        let root = self.snapshot_path.trim_end_matches('\\');
        let folder = folder.trim_end_matches('\\');
        let inside = folder.eq_ignore_ascii_case(root)
            || (self.recursive
                && folder.len() > root.len()
                && folder[..root.len()].eq_ignore_ascii_case(root)
                && folder.as_bytes()[root.len()] == b'\\');
        inside && filespec_matches(&self.filespec, name)
    }
}

/// Where to read one chosen component's files from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentFiles {
    /// The component.
    pub key: ComponentKey,
    /// Its file sets in the snapshot.
    pub files: Vec<MappedFileSet>,
    /// The writer's excludes in the snapshot: skip what they match.
    pub excludes: Vec<MappedFileSet>,
}

/// The volume a path lives on: `GetVolumePathName` on Windows (mount points handled); on
/// other systems the drive root of a `C:\…` path.
pub fn volume_of(path: &str) -> Option<String> {
    #[cfg(windows)]
    {
        crate::com::raw::volume_path_name(path)
    }
    #[cfg(not(windows))]
    {
        drive_root(path)
    }
}

/// The drive root of a `C:\…` path (`C:\`): the volumes of the fault-injecting VSS, whose
/// machine is not the one the code runs on (set it as `SessionOptions::volume_of` there).
pub fn drive_root(path: &str) -> Option<String> {
    let b = path.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
        .then(|| format!("{}:\\", (b[0] as char).to_ascii_uppercase()))
}

/// `path` on `volume` as seen in the snapshot whose device object is `device`:
/// `C:\db` on `C:\` in `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy3` is
/// `\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy3\db`. `None` when the path is not on it.
pub fn map_into_snapshot(path: &str, volume: &str, device: &str) -> Option<String> {
    let volume = volume.trim_end_matches('\\');
    let head = path.get(..volume.len())?;
    if !head.eq_ignore_ascii_case(volume) {
        return None;
    }
    let rest = &path[volume.len()..];
    if !(rest.is_empty() || rest.starts_with('\\')) {
        return None;
    }
    Some(format!("{}{rest}", device.trim_end_matches('\\')))
}

impl ComponentFiles {
    /// Whether to copy a file of the snapshot: one of the component's sets holds it and none
    /// of the writer's excludes does.
    pub fn wants(&self, folder: &str, name: &str) -> bool {
        self.files.iter().any(|f| f.holds(folder, name))
            && !self.excludes.iter().any(|f| f.holds(folder, name))
    }
}

impl BackupSession<MetadataGathered> {
    /// Every writer's metadata, typed (`GetWriterMetadataEx` where the system has it).
    pub fn writers(&self) -> Result<Vec<WriterInfo>, SessionError> {
        self.inner
            .backup
            .writers()
            .map_err(|e| SessionError::new(StepError::Component(e)))
    }

    /// Chooses components and adds them (`AddComponent`), with the non-selectable
    /// components of the same writers that no selectable one contains and, transitively,
    /// every component a chosen one depends on. Returns what was added, in order.
    pub fn add_components(
        &mut self,
        writers: &[WriterInfo],
        selection: &Selection,
    ) -> Result<Vec<ComponentKey>, SessionError> {
        let mut chosen: Vec<ChosenComponent> = Vec::new();
        let push = |chosen: &mut Vec<ChosenComponent>, w: &WriterInfo, i: usize, reason: Reason| {
            let c = &w.components[i];
            let key = ComponentKey::of(w, c);
            if chosen.iter().any(|x| x.key == key) {
                return false;
            }
            chosen.push(ChosenComponent {
                key,
                files: c.all_files().cloned().collect(),
                excludes: w.excludes.clone(),
                reason,
                reported: None,
            });
            true
        };
        for w in writers {
            let mut picked_any = false;
            for (i, c) in w.components.iter().enumerate() {
                if c.info.selectable && selection.picks(w, &c.info.logical_path, &c.info.name) {
                    push(&mut chosen, w, i, Reason::Selected);
                    picked_any = true;
                }
            }
            // A writer taking part backs up its non-selectable components that no
            // selectable one contains; "everything" includes writers with only those.
            if picked_any
                || selection.all
                || selection
                    .writers
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(&w.name))
            {
                for (i, c) in w.components.iter().enumerate() {
                    let full = full_path(&c.info.logical_path, &c.info.name).to_ascii_lowercase();
                    let contained = w.components.iter().any(|o| {
                        o.info.selectable && {
                            let of =
                                full_path(&o.info.logical_path, &o.info.name).to_ascii_lowercase();
                            full.starts_with(&format!("{of}\\"))
                        }
                    });
                    if !c.info.selectable && !contained {
                        push(&mut chosen, w, i, Reason::NotSelectable);
                    }
                }
            }
        }
        // Dependencies, transitively: each names a writer class, a logical path and a name.
        let mut k = 0;
        while k < chosen.len() {
            let key = chosen[k].key.clone();
            let deps: Vec<_> = writers
                .iter()
                .filter(|w| w.instance_id == key.instance_id)
                .flat_map(|w| &w.components)
                .filter(|c| c.info.logical_path == key.logical_path && c.info.name == key.name)
                .flat_map(|c| c.dependencies.clone())
                .collect();
            for d in deps {
                for w in writers.iter().filter(|w| w.writer_id == d.writer_id) {
                    if let Some(i) = w.components.iter().position(|c| {
                        c.info.logical_path.eq_ignore_ascii_case(&d.logical_path)
                            && c.info.name.eq_ignore_ascii_case(&d.component_name)
                    }) {
                        push(&mut chosen, w, i, Reason::Dependency);
                    }
                }
            }
            k += 1;
        }
        let i = &mut self.inner;
        for c in &chosen {
            let k = &c.key;
            if let Err(e) = i.backup.add_component(
                k.instance_id,
                k.writer_id,
                k.component_type.raw(),
                &k.logical_path,
                &k.name,
            ) {
                return Err(i.fail(StepError::Component(AnyError::new(e)), false));
            }
        }
        let keys = chosen.iter().map(|c| c.key.clone()).collect();
        i.components.list.extend(chosen);
        Ok(keys)
    }
}

impl BackupSession<Snapshotted> {
    /// Every chosen component's file sets (and its writer's excludes) mapped into the
    /// snapshot of their volume: where to read them from.
    pub fn component_files(&self) -> Result<Vec<ComponentFiles>, SessionError> {
        let i = &self.inner;
        let mut devices: Vec<(String, String)> = Vec::new();
        for (id, volume) in &i.snapshots {
            let p = i
                .backup
                .snapshot_properties(*id)
                .map_err(|e| SessionError::new(StepError::SnapshotProperties(e)))?;
            devices.push((volume.clone(), p.device_object));
        }
        let map = |f: &FileSet| -> Option<MappedFileSet> {
            let volume = (i.opts.volume_of)(&f.path)?;
            let (v, device) = devices
                .iter()
                .find(|(v, _)| v.eq_ignore_ascii_case(&volume))?;
            Some(MappedFileSet {
                live_path: f.path.clone(),
                snapshot_path: map_into_snapshot(&f.path, v, device)?,
                filespec: f.filespec.clone(),
                recursive: f.recursive,
                alternate_location: f.alternate_location.clone(),
            })
        };
        Ok(i.components
            .list
            .iter()
            .map(|c| ComponentFiles {
                key: c.key.clone(),
                files: c.files.iter().filter_map(map).collect(),
                excludes: c.excludes.iter().filter_map(map).collect(),
            })
            .collect())
    }

    /// `SetBackupSucceeded` for one chosen component; every component not reported by
    /// `complete` is recorded as failed.
    pub fn set_backup_succeeded(
        &mut self,
        key: &ComponentKey,
        succeeded: bool,
    ) -> Result<(), SessionError> {
        let i = &mut self.inner;
        if let Err(e) = i.backup.set_backup_succeeded(
            key.instance_id,
            key.writer_id,
            key.component_type.raw(),
            &key.logical_path,
            &key.name,
            succeeded,
        ) {
            return Err(i.fail(StepError::Component(AnyError::new(e)), false));
        }
        if let Some(c) = i.components.list.iter_mut().find(|c| c.key == *key) {
            c.reported = Some(succeeded);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_into_the_snapshot_of_their_volume() {
        let d = "\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy3";
        assert_eq!(
            map_into_snapshot("C:\\db\\a.mdf", "C:\\", d).as_deref(),
            Some("\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy3\\db\\a.mdf")
        );
        assert_eq!(
            map_into_snapshot("c:\\DB", "C:\\", d).as_deref(),
            Some("\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy3\\DB")
        );
        // A mount point: the longer volume path is the volume.
        assert_eq!(
            map_into_snapshot("C:\\mnt\\data\\x", "C:\\mnt\\data\\", d).as_deref(),
            Some("\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy3\\x")
        );
        assert_eq!(map_into_snapshot("D:\\db", "C:\\", d), None);
        assert_eq!(map_into_snapshot("C:\\mntx", "C:\\mnt\\", d), None);
        assert_eq!(map_into_snapshot("", "C:\\", d), None);
    }

    #[test]
    fn filespecs_and_excludes_decide_what_is_copied() {
        assert!(filespec_matches("*.mdf", "A.MDF"));
        assert!(filespec_matches("a?.log", "ab.log"));
        assert!(!filespec_matches("a?.log", "a.log"));
        assert!(filespec_matches("*", ""));
        assert!(!filespec_matches("*.dll", "x.sys"));
        let set = |path: &str, spec: &str, recursive: bool| MappedFileSet {
            live_path: String::new(),
            snapshot_path: path.into(),
            filespec: spec.into(),
            recursive,
            alternate_location: String::new(),
        };
        let c = ComponentFiles {
            key: ComponentKey {
                instance_id: GUID::zeroed(),
                writer_id: GUID::zeroed(),
                writer: String::new(),
                component_type: ComponentType::FileGroup,
                logical_path: String::new(),
                name: String::new(),
            },
            files: vec![set("S:\\Windows", "*", true)],
            excludes: vec![set("S:\\Windows\\Temp", "*", true)],
        };
        assert!(c.wants("S:\\Windows\\System32", "a.dll"));
        assert!(!c.wants("S:\\Windows\\Temp\\x", "a.tmp"), "excluded");
        assert!(
            !c.wants("S:\\WindowsOld", "a.dll"),
            "a sibling folder is not below"
        );
        assert!(!set("S:\\db", "a.mdf", false).holds("S:\\db\\sub", "a.mdf"));
    }

    #[test]
    fn selections_pick_by_writer_and_path() {
        let w = WriterInfo {
            instance_id: GUID::zeroed(),
            writer_id: GUID::zeroed(),
            name: "Database Writer".into(),
            instance_name: None,
            usage: crate::com::model::UsageType::UserData,
            source: crate::com::model::SourceType::TransactedDb,
            version: None,
            backup_schema: Default::default(),
            restore: crate::com::model::RestoreSpec {
                method: crate::com::model::RestoreMethod::Undefined,
                service: String::new(),
                user_procedure: String::new(),
                writer_restore: crate::com::model::WriterRestore::Undefined,
                reboot_required: false,
                mappings: 0,
            },
            components: Vec::new(),
            excludes: Vec::new(),
            excludes_from_snapshot: Vec::new(),
            alternate_locations: Vec::new(),
        };
        assert!(Selection::all().picks(&w, "x", "y"));
        assert!(Selection::writer("database writer").picks(&w, "x", "y"));
        assert!(Selection::path("Instance1").picks(&w, "instance1", "a"));
        assert!(Selection::path("Instance1\\a").picks(&w, "Instance1", "a"));
        assert!(!Selection::path("Instance1\\b").picks(&w, "Instance1", "a"));
        assert!(!Selection::path("Inst").picks(&w, "Instance1", "a"));
    }
}
