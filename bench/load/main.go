// Command load sends concurrent requests to a running svcplan and reports
// the latency distribution: the dashboard's p99 under 50 clients (issue 5)
// is measured with it, from a process of its own.
//
//	go run ./bench/load -url http://127.0.0.1:8080/dashboard -c 50 -d 20s -user stat -password '…'
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

func main() {
	target := flag.String("url", "", "page to load")
	clients := flag.Int("c", 50, "concurrent clients")
	dur := flag.Duration("d", 20*time.Second, "how long to send requests")
	user := flag.String("user", "", "sign in as this user first (optional)")
	password := flag.String("password", "", "the user's password")
	flag.Parse()
	if *target == "" {
		flag.Usage()
		os.Exit(2)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	if *user != "" {
		if err := signIn(client, *target, *user, *password); err != nil {
			fmt.Fprintln(os.Stderr, "load: sign in:", err)
			os.Exit(1)
		}
	}
	var mu sync.Mutex
	var lat []time.Duration
	errs := map[string]int{}
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	for range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				start := time.Now()
				res, err := client.Get(*target)
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("HTTP %d", res.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					errs[err.Error()]++
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	nErr := 0
	for _, n := range errs {
		nErr += n
	}
	fmt.Printf("%s, %d clients, %s: %d requests (%.0f/s), %d errors\n", *target, *clients, *dur, len(lat),
		float64(len(lat))/dur.Seconds(), nErr)
	fmt.Printf("latency p50 %s  p90 %s  p99 %s  max %s\n", q(.5).Round(time.Microsecond*100), q(.9).Round(time.Microsecond*100),
		q(.99).Round(time.Microsecond*100), q(1).Round(time.Microsecond*100))
	for e, n := range errs {
		fmt.Printf("  %d × %s\n", n, e)
	}
	if nErr > 0 {
		os.Exit(1)
	}
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn fills in the sign-in form as a browser would and keeps the
// session cookie.
func signIn(client *http.Client, target, user, password string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	jar, _ := cookiejar.New(nil)
	client.Jar = jar
	login := u.Scheme + "://" + u.Host + "/login"
	res, err := client.Get(login)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return fmt.Errorf("no CSRF token on %s", login)
	}
	form := url.Values{"username": {user}, "password": {password}, "csrf_token": {string(m[1])}}
	res, err = client.Post(login, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	res.Body.Close()
	signedIn := false
	for _, c := range jar.Cookies(u) {
		signedIn = signedIn || c.Name == "svcplan_session"
	}
	if !signedIn {
		return fmt.Errorf("signing in as %s failed (HTTP %d)", user, res.StatusCode)
	}
	if res.Request.URL.Path != "/account/password" {
		return nil
	}
	// A new account must choose its password first: keep the same one
	// with a suffix, and say so.
	res, err = client.Get(u.Scheme + "://" + u.Host + "/account/password")
	if err != nil {
		return err
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if m = csrfInput.FindSubmatch(body); m == nil {
		return fmt.Errorf("no CSRF token on the password form")
	}
	next := password + "-Load1"
	form = url.Values{"current": {password}, "new": {next}, "confirm": {next}, "csrf_token": {string(m[1])}}
	res, err = client.Post(u.Scheme+"://"+u.Host+"/account/password", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	res.Body.Close()
	fmt.Fprintf(os.Stderr, "load: %s had to change the initial password; it is now %q\n", user, next)
	return nil
}
