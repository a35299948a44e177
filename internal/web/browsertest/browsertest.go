// Package browsertest runs page tests in a real browser: Debian's chromium,
// headless, at the 1366x768 size of an office screen. Tests skip, saying
// why, where no browser is installed.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Width and Height are the window size pages are tested at.
const (
	Width  = 1366
	Height = 768
)

// ScreenshotEnv names a directory to write screenshots to; unset, none are
// written.
const ScreenshotEnv = "SVCPLAN_SCREENSHOT_DIR"

// browserPath finds a Chromium-family browser: $SVCPLAN_CHROME, or the
// usual names on PATH.
func browserPath() string {
	if p := os.Getenv("SVCPLAN_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless browser for the test and returns a context for a
// tab in it, cancelled when the test ends. It skips the test when there is
// no browser or under -short.
func New(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped under -short")
	}
	path := browserPath()
	if path == "" {
		t.Skip("no Chromium found: install Debian's chromium (apt-get install chromium fonts-noto-cjk) or set SVCPLAN_CHROME to run browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.WindowSize(Width, Height),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	// A whole browser test's budget: the dashboard's walks through some
	// thirty pages, under the race detector on two cores in CI.
	ctx, cancelTimeout := context.WithTimeout(ctx, 180*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser now, so failures say so
		t.Fatalf("start browser %s: %v", path, err)
	}
	return ctx
}

// Screenshot saves what the tab shows in $SVCPLAN_SCREENSHOT_DIR, if that
// is set, so a person can look at the page as a user would: NAME.png is
// the first screen (1366x768), NAME-full.png the whole page.
func Screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(ScreenshotEnv)
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for file, shot := range map[string]chromedp.Action[[]byte]{
		name + ".png":      chromedp.CaptureScreenshot(),
		name + "-full.png": chromedp.FullScreenshot(100),
	} {
		png, err := chromedp.Run(ctx, shot)
		if err != nil {
			t.Errorf("screenshot %s: %v", file, err)
			return
		}
		if err := os.WriteFile(filepath.Join(dir, file), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
