// Package vault is Kinfolio's encrypted store: one file on the user's disk
// holding a family's health records, readable only with the passphrase or a
// recovery or caregiver key.
//
// A [Vault] is created with [Create] and opened with [Open] and a [Secret]
// ([Passphrase] or [Identities]). While open it holds the people
// ([Vault.Profiles]), the imported files ([Vault.Sources], with their
// original bytes, [Vault.OpenOriginal]), the FHIR R4 resources read from
// them ([Vault.Resource], [Vault.ForEachResource]) and the normalized
// entries ([Vault.Entries], [Vault.Search]). [Vault.Import] stores one
// [record.Batch]; [Vault.RemoveSource] takes a file out again. Closing the
// vault locks it.
//
// # Whose records
//
// Putting one person's records under another is the worst mistake the vault
// could make, so every import follows one rule. Each group of records in a
// file (each patient a file names) is placed on its own:
//
//   - A file or package part that names its patient (a name or a record
//     number) goes to the matching person ([record.MatchPatient]), or to a
//     new person when no one matches.
//   - One that names no patient but refers to one ("Patient/123",
//     "urn:uuid:...") goes to the person whose Patient with that id was
//     read in the same package or earlier in the same [Run], or else was
//     stored before from a source of the same format (for ids of eight
//     characters or more: "1" or "example" name many patients); only when
//     that is a single person.
//   - The user's choice, [ImportOptions.Profile], decides only records
//     that name no one (and whose references found no one) or whose
//     patient matches more than one person. A patient who is clearly
//     someone other than the chosen person (another person in the vault;
//     or a name or birth date that differs while nothing agrees, see
//     [record.Likeness.ClearlyOther]) is refused with [ErrProfileMismatch];
//     when only the name or only the birth date differs (a married name, a
//     typo) the records go to the chosen person and the report's warnings
//     say what differs. Records that name no one go to the chosen person,
//     with a warning when their birth date is not the person's.
//   - With no choice made, records that name no one go to the only person
//     in the vault (unless their birth date is not that person's), and a
//     patient who could be several people is not guessed: the import fails
//     with [ErrNeedProfile] or [ErrAmbiguousPatient], as a [*PatientError]
//     that says whom the file names and who it could be.
//
// A person learns from a file that matched them (a new record number,
// another spelling of the name, a birth date they were added without);
// a file put under a person by choice never changes the person's name,
// birth date or record numbers.
//
// A package (a zip, a folder) is imported per person, as separate files
// would be: each document goes to its own person, in one transaction. A
// document that cannot be placed is left out, not the package: the rest is
// stored, the document is listed in the package's Report.Skipped and in
// [ImportResult.LeftOut], and importing the package again with the person
// named adds it. Only when no document can be placed does the import fail.
// A document holding only practitioners, organizations or places (part of
// a bulk export) goes with the package's person when there is one, and is
// otherwise passed over, listed in Report.Ignored.
//
// # File format
//
// The file is a bbolt database, mode 0600, in a folder made 0700. A small
// plaintext header (a bucket named "kinfolio") holds the format version,
// the vault id, the scrypt work factor and the key wraps (and, in a demo
// vault only, the demo mark and passphrase), with checksums so
// a damaged header reads as damage and a newer format is refused with
// [ErrNewerVersion] rather than misread. Every other value is sealed with
// the vault key: XChaCha20-Poly1305 with a random 24-byte nonce over the
// value (deflated against a built-in dictionary of FHIR phrases when that
// helps; an original file's megabyte chunks are deflated on their own,
// with their CRC-32, so a backup copies them into its zip as they are),
// with associated data binding it to the
// vault id, its bucket, its key and the format version, so a value edited,
// swapped with another or moved to another vault fails to open. Keys inside
// buckets are random ids (resources: a keyed hash of source, type and id);
// neither keys nor bucket names carry health data.
//
// # Key hierarchy
//
// A random 256-bit vault key seals everything. It is stored wrapped with
// age, twice: to the passphrase with age's scrypt recipient, alone in its own
// age file as scrypt stanzas must be, at a work factor calibrated at
// creation to about one second ([CalibrateWorkFactor], logN 17 to 19); and
// to the X25519 recipients, the recovery key ([Vault.RecoveryKey]) and
// caregivers' keys ([Vault.AddRecipient]). Unlocking refuses work factors
// above [MaxWorkFactor]. [Vault.ChangePassphrase] re-wraps the key only.
// [Vault.RemoveRecipient] rotates the key: every value is sealed again with
// a new key in one transaction, so a removed key opens nothing from then on.
//
// # Transactions and crashes
//
// Every change is one bbolt transaction: an import, with all its documents,
// is stored entirely or not at all; a passphrase change or a key rotation
// leaves the old secret or the new one working, never neither. The
// decrypted index in memory changes only after the transaction committed.
// The tests kill processes mid-write to hold the package to this.
//
// # Damage
//
// A damaged file never crashes the program: before bbolt reads a file, a
// quick check of its structure (meta pages, length, freelist, the tree's
// branch pages) refuses what would make bbolt fault, loop or allocate
// without bound; bbolt's panics and faults on other broken pages are caught
// at the package boundary; all are reported as [ErrDamaged], as is any value
// that fails to open. [Vault.Verify] opens every value, checks the
// originals against their hashes and checks every page the way bbolt's
// consistency check does (which itself asserts, in a goroutine no caller
// can recover, on some damage), and says what is damaged where.
//
// # Threat model
//
// A lost laptop or a copied file reveals nothing without the passphrase or
// a recipient's identity: not names, not which files were imported (their
// hashes are sealed too); only the file's size, the number and sizes of
// values, and which values one import added.
// What the vault does not protect against: malware running as the user
// while the vault is open (the key and the index are in memory, and the
// passphrase is kept while open so a key rotation can re-wrap to it), or a
// weak passphrase (scrypt slows guessing, it cannot prevent it).
//
// Demo vaults are the one exception, by design: a vault created with
// [Options.Demo] holds made-up records and keeps its passphrase in the
// clear in the plaintext header, beside a "demo" mark, so the app can show
// it on the unlock screen ([Peek] reads both without unlocking). Anyone with
// a demo vault's file can open it. No other vault carries the mark or the
// passphrase; changing a demo vault's passphrase removes the passphrase
// from the header (the mark stays, since its records are still made up).
//
// Who else on the computer can read or delete the file is the operating
// system's business. On Unix the modes above keep other users out. On
// Windows file modes mean nothing (0600 sets no permissions): the file
// gets the permissions of the folder it is created in. The default folder,
// %APPDATA%\Kinfolio (app.DefaultPaths), is inside the user's profile,
// which Windows opens to the user, SYSTEM and Administrators only; a vault
// put elsewhere with --vault (another drive, a USB stick, C:\Users\Public)
// is often readable and deletable by every user of the computer. The
// encryption still protects its content; its existence, size and safety
// from deletion are then not protected. %APPDATA% is the roaming profile:
// on an organisation's computer with roaming profiles or folder
// redirection, Windows copies the (encrypted) vault to the organisation's
// server.
//
// # Concurrency
//
// A Vault's methods are safe for concurrent use. One process at a time
// opens a vault: another gets [ErrInUse] after [Options.LockTimeout]
// (about a second), never a hang. The lock is bbolt's: flock on Unix,
// LockFileEx on Windows; both go with the process, so a crashed program
// leaves no stale lock.
//
// # Windows
//
// bbolt maps the file into memory, and on Windows it sets the file's length
// to the map's at every read-write open: a vault's file there is its data
// rounded up to a power of two (up to 1 GiB, then whole GiB), and opening
// it, even with a wrong passphrase, touches its modification time (the
// content is unchanged). Creating a vault needs hard links (os.Link), which
// NTFS has and FAT32 or exFAT (many USB sticks, on any system) do not.
package vault
