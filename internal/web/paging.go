package web

import (
	"net/url"
	"strconv"

	"svcplan/internal/apperr"
)

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
