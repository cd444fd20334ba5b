package vault_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/kinfolio/kinfolio/record"
	"github.com/kinfolio/kinfolio/vault"
	"github.com/kinfolio/kinfolio/vault/vaulttest"
)

// crashChildren are the roles a child process plays in the crash tests.
// Each opens the vault, prints "ready", then writes until it is killed.
var crashChildren = map[string]func(path string) int{
	"import":     childImport,
	"passphrase": childPassphrase,
	"rotate":     childRotate,
}

// variant returns import number i: one of the two corpus bundles with i
// blank lines appended, so each has its own content hash while its
// records merge into the same entries (a merge touches every entry).
func variant(t testing.TB, i int) *record.Batch {
	base := alberto
	if i%2 == 1 {
		base = chauncey
	}
	data, err := os.ReadFile(base)
	if err != nil {
		panic(err)
	}
	data = append(data, bytes.Repeat([]byte("\n"), i+1)...)
	return vaulttest.BatchFromBundle(t, fmt.Sprintf("import-%03d.json", i), data)
}

// panicTB is enough of testing.TB for BatchFromBundle in a child process.
type panicTB struct{ testing.TB }

func (panicTB) Helper()                           {}
func (panicTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func childImport(path string) int {
	v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	srcs, _ := v.Sources("")
	i := len(srcs)
	fmt.Println("ready")
	for ; ; i++ {
		if _, err := v.Import(context.Background(), variant(panicTB{}, i), vault.ImportOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, "child import:", err)
			return 1
		}
	}
}

// startAndKill runs a child in role, waits for it to be ready, lets it work
// for a random moment up to max, and kills it with SIGKILL.
func startAndKill(t *testing.T, rng *rand.Rand, role, path string, max time.Duration, env ...string) {
	t.Helper()
	cmd := child(t, role, append(env, "VAULTTEST_PATH="+path)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "ready\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child %s did not start: %q %v; stderr: %s", role, line, err, stderr.String())
	}
	time.Sleep(time.Duration(rng.Int64N(int64(max))))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	if strings.Contains(stderr.String(), "child") {
		t.Fatalf("child %s failed before it was killed: %s", role, stderr.String())
	}
}

func rounds(short, long int) int {
	if testing.Short() {
		return short
	}
	return long
}

// TestCrash_Import kills a process at random moments while it imports: the
// vault must always open, pass bbolt's consistency check and Verify, and
// hold each import entirely or not at all, in order.
func TestCrash_Import(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	// What one import of each bundle gives on its own.
	want, wantRes := map[int]int{}, map[int]int{}
	for i := range 2 {
		wantRes[i] = countResources(variant(t, i))
		v := vaulttest.New(t)
		if _, err := v.Import(context.Background(), variant(t, i), vault.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		want[i], _ = countEntries(v, "")
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "vault.kinfolio")
	v := vaulttest.Create(t, path)
	v.Close()
	n := rounds(20, 100)
	imports := 0
	for round := range n {
		startAndKill(t, rng, "import", path, 250*time.Millisecond)
		vaulttest.CheckFile(t, path)
		v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
		if err != nil {
			t.Fatalf("round %d: the vault does not open after a crash: %v", round, err)
		}
		if rep, err := v.Verify(); err != nil {
			t.Fatalf("round %d: verify after a crash: %v %+v", round, err, rep)
		}
		srcs := mustSources(t, v, "")
		// In order: imports 0..len-1, nothing skipped.
		for i := range srcs {
			name := fmt.Sprintf("import-%03d.json", i)
			found := false
			for _, s := range srcs {
				found = found || s.File == name
			}
			if !found {
				t.Fatalf("round %d: %d imports present but %s is missing", round, len(srcs), name)
			}
		}
		// Entirely: every present import's records merged into every
		// entry of its bundle, and its resources all there.
		for _, s := range srcs {
			i, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(s.File, "import-"), ".json"))
			got, _ := countEntries(v, s.ID)
			if got != want[i%2] {
				t.Fatalf("round %d: %s is in %d entries, want %d", round, s.File, got, want[i%2])
			}
			if s.Resources != wantRes[i%2] {
				t.Fatalf("round %d: %s has %d resources", round, s.File, s.Resources)
			}
		}
		// And the entries themselves: as many as the two bundles give.
		total, _ := countEntries(v, "")
		switch {
		case len(srcs) == 0 && total != 0, len(srcs) == 1 && total != want[0], len(srcs) >= 2 && total != want[0]+want[1]:
			t.Fatalf("round %d: %d entries with %d imports", round, total, len(srcs))
		}
		imports = len(srcs)
		v.Close()
	}
	t.Logf("%d rounds, %d imports committed", n, imports)
	if imports == 0 {
		t.Error("no import ever committed: the harness kills too early to test anything")
	}
}

func countEntries(v *vault.Vault, source string) (int, error) {
	es, err := v.Entries(vault.Query{Source: source})
	return len(es), err
}

const otherPassphrase = "another passphrase entirely"

// childPassphrase flips the passphrase between the two test passphrases.
func childPassphrase(path string) int {
	cur, next := vaulttest.Passphrase, otherPassphrase
	v, err := vault.Open(path, vault.Passphrase(cur), nil)
	if errors.Is(err, vault.ErrWrongPassphrase) {
		cur, next = next, cur
		v, err = vault.Open(path, vault.Passphrase(cur), nil)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	fmt.Println("ready")
	for {
		if err := v.ChangePassphrase(next); err != nil {
			fmt.Fprintln(os.Stderr, "child passwd:", err)
			return 1
		}
		cur, next = next, cur
	}
}

// TestCrash_ChangePassphrase kills a process changing the passphrase: the
// old or the new passphrase opens the vault, never neither.
func TestCrash_ChangePassphrase(t *testing.T) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 2))
	v := vaulttest.New(t)
	if _, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	path := v.Path()
	v.Close()
	seen := map[string]int{}
	for round := range rounds(10, 50) {
		startAndKill(t, rng, "passphrase", path, 100*time.Millisecond)
		var opened *vault.Vault
		for _, p := range []string{vaulttest.Passphrase, otherPassphrase} {
			v, err := vault.Open(path, vault.Passphrase(p), nil)
			if err == nil {
				opened = v
				seen[p[:7]]++
				break
			}
			if !errors.Is(err, vault.ErrWrongPassphrase) {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if opened == nil {
			t.Fatalf("round %d: neither the old nor the new passphrase opens the vault", round)
		}
		if _, err := opened.Verify(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		opened.Close()
		vaulttest.CheckFile(t, path)
	}
	t.Logf("opened by: %v", seen)
}

// childRotate adds a caregiver key and removes it again, rotating the
// vault key each time.
func childRotate(path string) int {
	v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	carer, err := age.ParseX25519Identity(os.Getenv("VAULTTEST_CARER"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	fmt.Println("ready")
	for {
		if err := v.AddRecipient(carer.Recipient().String(), "carer"); err != nil {
			fmt.Fprintln(os.Stderr, "child add:", err)
			return 1
		}
		if err := v.RemoveRecipient(carer.Recipient().String()); err != nil {
			fmt.Fprintln(os.Stderr, "child remove:", err)
			return 1
		}
	}
}

// TestCrash_RemoveRecipient kills a process while it rotates the vault
// key: afterwards the passphrase and the recovery key open the vault, every
// value opens, and the caregiver's key opens it exactly when the vault
// still lists it.
func TestCrash_RemoveRecipient(t *testing.T) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	v := vaulttest.New(t)
	if _, err := v.Import(context.Background(), bundle(t, alberto), vault.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	recovery, err := v.RecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	recID, _ := age.ParseX25519Identity(recovery)
	carer, _ := age.GenerateX25519Identity()
	path := v.Path()
	v.Close()
	listed := 0
	for round := range rounds(10, 50) {
		startAndKill(t, rng, "rotate", path, 150*time.Millisecond, "VAULTTEST_CARER="+carer.String())
		vaulttest.CheckFile(t, path)
		v, err := vault.Open(path, vault.Passphrase(vaulttest.Passphrase), nil)
		if err != nil {
			t.Fatalf("round %d: passphrase: %v", round, err)
		}
		if _, err := v.Verify(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		has := len(mustRecipients(t, v)) == 2
		v.Close()
		if rv, err := vault.Open(path, vault.Identities(recID), nil); err != nil {
			t.Fatalf("round %d: recovery key: %v", round, err)
		} else {
			rv.Close()
		}
		cv, err := vault.Open(path, vault.Identities(carer), nil)
		if has {
			listed++
			if err != nil {
				t.Fatalf("round %d: the listed caregiver key fails: %v", round, err)
			}
			cv.Close()
		} else if !errors.Is(err, vault.ErrWrongPassphrase) {
			t.Fatalf("round %d: the removed caregiver key: %v", round, err)
		}
	}
	t.Logf("caregiver listed after %d of the crashes", listed)
}
