package web

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/google/go-cmp/cmp"

	"svcplan/internal/auth"
	"svcplan/internal/store"
	"svcplan/internal/store/storetest"
)

// openAPIDoc is the part of the OpenAPI document the tests read.
type openAPIDoc struct {
	Paths map[string]map[string]struct {
		Parameters []struct {
			Name    string `yaml:"name"`
			In      string `yaml:"in"`
			Example string `yaml:"example"`
		} `yaml:"parameters"`
		Responses map[string]struct {
			Content map[string]struct {
				Schema schemaRef `yaml:"schema"`
			} `yaml:"content"`
		} `yaml:"responses"`
	} `yaml:"paths"`
	Components struct {
		Schemas map[string]schemaRef `yaml:"schemas"`
	} `yaml:"components"`
}

type schemaRef struct {
	Ref        string               `yaml:"$ref"`
	Type       string               `yaml:"type"`
	Required   []string             `yaml:"required"`
	Properties map[string]schemaRef `yaml:"properties"`
	Items      *schemaRef           `yaml:"items"`
	// AdditionalProperties, when set, is the schema of a map's values.
	AdditionalProperties *schemaRef `yaml:"additionalProperties"`
}

func readOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	b, err := embedded.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return doc
}

// TestOpenAPIMatchesRoutes: every JSON route is documented, and every
// documented operation is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := readOpenAPI(t)
	var documented, routed []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	s := &Server{}
	for _, rt := range s.routeTable() {
		if rt.API {
			routed = append(routed, rt.Method+" "+rt.Pattern)
		}
	}
	slices.Sort(documented)
	slices.Sort(routed)
	if diff := cmp.Diff(routed, documented); diff != "" {
		t.Errorf("routes (-) vs openapi.yaml (+):\n%s", diff)
	}
}

// TestOpenAPIResponses calls every documented GET (path parameters from the
// document's examples) and checks the 200 response has every property the
// schema requires, one level into objects and array items.
func TestOpenAPIResponses(t *testing.T) {
	doc := readOpenAPI(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		env := newTestEnv(t, db, true)
		env.seedDirectory() // the examples name its firms
		env.seedProject("GG-2025-001")
		env.seedScheme()
		env.seedSupervision()
		env.seedBuilding()
		env.addUser("chen", auth.RoleAdmin, "")
		cookie, _ := env.session("chen") // some endpoints need a user
		for path, ops := range doc.Paths {
			op, ok := ops["get"]
			if !ok {
				continue
			}
			url := path
			for _, p := range op.Parameters {
				if p.In != "path" {
					continue
				}
				if p.Example == "" {
					t.Fatalf("%s: parameter %s has no example", path, p.Name)
				}
				url = strings.Replace(url, "{"+p.Name+"}", p.Example, 1)
			}
			t.Run(url, func(t *testing.T) {
				res := env.do(req{method: http.MethodGet, path: url, cookie: cookie})
				if res.status != http.StatusOK {
					t.Fatalf("status %d: %s", res.status, res.body)
				}
				content, ok := op.Responses["200"].Content["application/json"]
				if !ok {
					return // not JSON (the document itself)
				}
				var v any
				if err := json.Unmarshal([]byte(res.body), &v); err != nil {
					t.Fatal(err)
				}
				checkSchema(t, doc, content.Schema, v, "$", 4)
			})
		}
	})
}

func checkSchema(t *testing.T, doc openAPIDoc, s schemaRef, v any, at string, depth int) {
	t.Helper()
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		ref, ok := doc.Components.Schemas[name]
		if !ok {
			t.Fatalf("%s: unknown schema %s", at, s.Ref)
		}
		s = ref
	}
	if depth == 0 {
		return
	}
	switch s.Type {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: want object, got %T", at, v)
			return
		}
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				t.Errorf("%s: required property %q missing", at, r)
			}
		}
		for name, ps := range s.Properties {
			if pv, ok := obj[name]; ok {
				checkSchema(t, doc, ps, pv, at+"."+name, depth-1)
			}
		}
		for name, pv := range obj {
			if _, ok := s.Properties[name]; ok {
				continue
			}
			if s.AdditionalProperties == nil {
				t.Errorf("%s: property %q is not documented", at, name)
				continue
			}
			checkSchema(t, doc, *s.AdditionalProperties, pv, at+"."+name, depth-1)
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			t.Errorf("%s: want array, got %T", at, v)
			return
		}
		if len(arr) > 0 && s.Items != nil {
			checkSchema(t, doc, *s.Items, arr[0], at+"[0]", depth-1)
		}
	}
}

// TestOpenAPIPathsUseMuxSyntax guards the comparison above: path templates
// must be written the way the router writes them.
func TestOpenAPIPathsUseMuxSyntax(t *testing.T) {
	re := regexp.MustCompile(`^/[a-z0-9/._{}-]*$`)
	for path := range readOpenAPI(t).Paths {
		if !re.MatchString(path) {
			t.Errorf("path %q", path)
		}
	}
}
