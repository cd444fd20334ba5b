// Package winexe reads what a Windows executable says about itself: the
// machine it is for, whether it is a window (GUI) or a console program,
// and the resources Explorer and Windows show for it (icon, version
// information, manifest). `make package-windows` checks Kinfolio.exe with
// it, so a build that would open a console window beside the app, or lose
// its icon or version, fails there rather than on a patient's laptop.
package winexe

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Subsystems of the PE optional header.
const (
	SubsystemGUI     = pe.IMAGE_SUBSYSTEM_WINDOWS_GUI // no console window
	SubsystemConsole = pe.IMAGE_SUBSYSTEM_WINDOWS_CUI
)

// Resource types (winuser.h).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// ErrMalformed: the file is not a PE executable, or its resources cannot
// be read.
var ErrMalformed = errors.New("not a readable Windows executable")

// Info is what an executable says about itself.
type Info struct {
	// Machine is the CPU: pe.IMAGE_FILE_MACHINE_AMD64, ..._ARM64.
	Machine uint16
	// Subsystem is [SubsystemGUI] or [SubsystemConsole] (or another).
	Subsystem uint16
	// Icons counts the icon images (all sizes); IconGroups the icons
	// Explorer can pick (the first is the program's).
	Icons, IconGroups int
	// FileVersion and ProductVersion are the fixed version numbers
	// ("0.1.0.3"); "" without version information.
	FileVersion, ProductVersion string
	// Strings are the version information's texts: ProductName,
	// FileDescription, ProductVersion, CompanyName, LegalCopyright, ...
	Strings map[string]string
	// Manifest is the application manifest (XML), if embedded.
	Manifest []byte
}

// Inspect reads the executable at path.
//
// Errors: [ErrMalformed] (wrapped, with what) for a file that is not a PE
// executable or has a broken resource section; I/O errors as they come.
func Inspect(path string) (*Info, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (%v)", path, ErrMalformed, err)
	}
	defer f.Close()
	info := &Info{Machine: f.Machine, Strings: map[string]string{}}
	var dir pe.DataDirectory
	switch h := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		info.Subsystem = h.Subsystem
		if len(h.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = h.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	case *pe.OptionalHeader32:
		info.Subsystem = h.Subsystem
		if len(h.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = h.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	default:
		return nil, fmt.Errorf("%s: %w (no optional header: an object file?)", path, ErrMalformed)
	}
	if dir.VirtualAddress == 0 || dir.Size == 0 {
		return info, nil // no resources
	}
	for _, s := range f.Sections {
		if s.VirtualAddress <= dir.VirtualAddress && dir.VirtualAddress < s.VirtualAddress+max(s.VirtualSize, s.Size) {
			data, err := s.Data()
			if err != nil {
				return nil, fmt.Errorf("%s: %w (resource section: %v)", path, ErrMalformed, err)
			}
			off := dir.VirtualAddress - s.VirtualAddress
			if int(off) > len(data) {
				return nil, fmt.Errorf("%s: %w (resource directory outside its section)", path, ErrMalformed)
			}
			r := resources{data: data[off:], base: dir.VirtualAddress}
			if err := r.read(info); err != nil {
				return nil, fmt.Errorf("%s: %w (%v)", path, ErrMalformed, err)
			}
			return info, nil
		}
	}
	return nil, fmt.Errorf("%s: %w (no section holds the resource directory)", path, ErrMalformed)
}

// resources is a resource section from its root directory on; base is the
// root's virtual address (data entries point by virtual address).
type resources struct {
	data []byte
	base uint32
}

// entry is one item of a resource directory.
type entry struct {
	id     uint32 // numeric id, or the name's offset when named
	named  bool
	offset uint32 // to a subdirectory (dir) or a data entry
	dir    bool
}

func (r resources) entries(off uint32) ([]entry, error) {
	if int(off)+16 > len(r.data) {
		return nil, errors.New("a resource directory past the section's end")
	}
	h := r.data[off:]
	n := int(binary.LittleEndian.Uint16(h[12:])) + int(binary.LittleEndian.Uint16(h[14:]))
	if int(off)+16+8*n > len(r.data) {
		return nil, errors.New("resource directory entries past the section's end")
	}
	es := make([]entry, n)
	for i := range es {
		e := h[16+8*i:]
		name, to := binary.LittleEndian.Uint32(e), binary.LittleEndian.Uint32(e[4:])
		es[i] = entry{id: name &^ (1 << 31), named: name>>31 == 1, offset: to &^ (1 << 31), dir: to>>31 == 1}
	}
	return es, nil
}

// leaves returns the data of every resource of one type (all names, all
// languages).
func (r resources) leaves(typeDir uint32) ([][]byte, error) {
	var out [][]byte
	names, err := r.entries(typeDir)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if !n.dir {
			return nil, errors.New("a resource name without a language level")
		}
		langs, err := r.entries(n.offset)
		if err != nil {
			return nil, err
		}
		for _, l := range langs {
			if l.dir || int(l.offset)+16 > len(r.data) {
				return nil, errors.New("a broken resource data entry")
			}
			d := r.data[l.offset:]
			rva, size := binary.LittleEndian.Uint32(d), binary.LittleEndian.Uint32(d[4:])
			start := int64(rva) - int64(r.base)
			if start < 0 || start+int64(size) > int64(len(r.data)) {
				return nil, errors.New("resource data outside the resource section")
			}
			out = append(out, r.data[start:start+int64(size)])
		}
	}
	return out, nil
}

func (r resources) read(info *Info) error {
	types, err := r.entries(0)
	if err != nil {
		return err
	}
	for _, t := range types {
		if t.named || !t.dir {
			continue
		}
		items, err := r.leaves(t.offset)
		if err != nil {
			return err
		}
		switch t.id {
		case rtIcon:
			info.Icons += len(items)
		case rtGroupIcon:
			info.IconGroups += len(items)
		case rtManifest:
			if len(items) > 0 {
				info.Manifest = items[0]
			}
		case rtVersion:
			if len(items) > 0 {
				if err := readVersion(items[0], info); err != nil {
					return fmt.Errorf("version information: %w", err)
				}
			}
		}
	}
	return nil
}

// block is one node of VS_VERSIONINFO: a key, a value and children.
type block struct {
	key      string
	value    []byte
	text     bool // value is UTF-16 text
	children []block
}

// parseBlock reads the block at the start of b (wLength, wValueLength,
// wType, the key as UTF-16 with a NUL, padding to 4 bytes, the value,
// padding, the children) and returns it and its length.
func parseBlock(b []byte) (block, int, error) {
	if len(b) < 6 {
		return block{}, 0, errors.New("a block shorter than its header")
	}
	length := int(binary.LittleEndian.Uint16(b))
	valueLen := int(binary.LittleEndian.Uint16(b[2:]))
	text := binary.LittleEndian.Uint16(b[4:]) == 1
	if length < 6 || length > len(b) {
		return block{}, 0, errors.New("a block longer than what holds it")
	}
	b = b[:length]
	pos := 6
	var key []uint16
	for {
		if pos+2 > len(b) {
			return block{}, 0, errors.New("a key without its end")
		}
		u := binary.LittleEndian.Uint16(b[pos:])
		pos += 2
		if u == 0 {
			break
		}
		key = append(key, u)
	}
	pos = align4(pos)
	if text {
		valueLen *= 2 // counted in UTF-16 units
	}
	if pos+valueLen > len(b) {
		// Some tools count a text value's length in bytes: take what is there.
		valueLen = max(0, len(b)-pos)
	}
	blk := block{key: string(utf16.Decode(key)), text: text}
	if pos <= len(b) {
		blk.value = b[pos : pos+valueLen]
	}
	pos = align4(pos + valueLen)
	for pos < len(b) {
		child, n, err := parseBlock(b[pos:])
		if err != nil {
			return block{}, 0, err
		}
		blk.children = append(blk.children, child)
		pos = align4(pos + n)
	}
	return blk, length, nil
}

func align4(n int) int { return (n + 3) &^ 3 }

func readVersion(b []byte, info *Info) error {
	root, _, err := parseBlock(b)
	if err != nil {
		return err
	}
	if root.key != "VS_VERSION_INFO" {
		return fmt.Errorf("the root is %q, not VS_VERSION_INFO", root.key)
	}
	if v := root.value; len(v) >= 52 && binary.LittleEndian.Uint32(v) == 0xFEEF04BD {
		info.FileVersion = version(binary.LittleEndian.Uint32(v[8:]), binary.LittleEndian.Uint32(v[12:]))
		info.ProductVersion = version(binary.LittleEndian.Uint32(v[16:]), binary.LittleEndian.Uint32(v[20:]))
	}
	for _, c := range root.children {
		if c.key != "StringFileInfo" {
			continue
		}
		for _, table := range c.children {
			for _, s := range table.children {
				info.Strings[s.key] = utf16String(s.value)
			}
		}
	}
	return nil
}

func version(ms, ls uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xFFFF, ls>>16, ls&0xFFFF)
}

// utf16String decodes a little-endian UTF-16 value up to its NUL.
func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}
