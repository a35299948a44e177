package web

import (
	"net/url"
	"strconv"
	"unicode/utf8"

	"svcplan/internal/apperr"
)

// The lists' query parameters, read in one place: page numbers, page
// sizes, search words, and how long a query may be at all.

// maxQueryBytes bounds a request's query string: every form of svcplan
// fits in a few hundred bytes, and a longer one is refused before any
// handler reads it (a search word of 100 KB made the database's LIKE
// fail).
const maxQueryBytes = 4096

// maxSearchRunes bounds a search word: the longest firm or project names
// are well under it.
const maxSearchRunes = 100

// checkQuery refuses a query string above maxQueryBytes.
func checkQuery(raw string) error {
	if len(raw) > maxQueryBytes {
		return apperr.Invalidf("查询条件过长(%d字节,最多%d字节):请缩短搜索词或减少条件", len(raw), maxQueryBytes)
	}
	return nil
}

// checkSearch refuses a search word above maxSearchRunes.
func checkSearch(q string) error {
	if n := utf8.RuneCountInString(q); n > maxSearchRunes {
		return apperr.Invalidf("搜索词不能超过%d个字(现为%d个字)", maxSearchRunes, n)
	}
	return nil
}

// maxPageNumber bounds the page numbers lists accept: a directory of ten
// million firms at the smallest page size has fewer pages, so a larger
// number is a typing slip or a probe, not a page.
const maxPageNumber = 200_000

// pageNumber is the page a list page is asked for: 1 when it is missing
// or not a number (a link typed by hand), never above maxPageNumber.
func pageNumber(q url.Values) int {
	page, _ := strconv.Atoi(q.Get("page"))
	return min(max(page, 1), maxPageNumber)
}

// apiPaging reads an API list's page and per_page: per_page defaults to
// per and is lowered to most (the answer says the size it used); a page or
// per_page that is not a positive whole number, or a page above
// maxPageNumber, is refused.
func apiPaging(q url.Values, per, most int) (page, perPage int, err error) {
	page, perPage = 1, per
	if v := q.Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 1 || page > maxPageNumber {
			return 0, 0, apperr.Invalidf("page应为1到%d的整数", maxPageNumber)
		}
	}
	if v := q.Get("per_page"); v != "" {
		if perPage, err = strconv.Atoi(v); err != nil || perPage < 1 {
			return 0, 0, apperr.Invalidf("per_page应为正整数(每页最多%d条)", most)
		}
	}
	return page, min(perPage, most), nil
}
