package library

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Every <name>.yaml of the folder is a built-in, listed once, sorted,
// with the description its file gives.
func TestLibraryListsEveryFile(t *testing.T) {
	files, _ := filepath.Glob("*.yaml")
	var want []string
	for _, f := range files {
		want = append(want, strings.TrimSuffix(f, ".yaml"))
	}
	slices.Sort(want)
	if got := Names(); len(want) < 2 || !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want the folder's %v", got, want)
	}
	list := List()
	if len(list) != len(want) {
		t.Fatalf("List() has %d, want %d", len(list), len(want))
	}
	for i, b := range list {
		if b.Name != want[i] || b.Description == "" {
			t.Errorf("List()[%d] = %+v", i, b)
		}
		data, err := Read(b.Name)
		disk, _ := os.ReadFile(b.Name + ".yaml")
		if err != nil || string(data) != string(disk) {
			t.Errorf("Read(%q): %v, %d bytes, want the file's %d", b.Name, err, len(data), len(disk))
		}
	}
}

// A name that is no built-in, or a path, is not found.
func TestLibraryReadsOnlyItsFiles(t *testing.T) {
	for _, name := range []string{"", "rolling-upgrad", "../doc.go", "./upgrade", "upgrade.yaml"} {
		if _, err := Read(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Read(%q): %v, want not found", name, err)
		}
	}
}
