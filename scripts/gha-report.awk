# gha-report.awk - the awk program of gha-report(1): the range of days,
# then every output (text, CSV, JSON, HTML) from the query answers.
#
# Run by gha-report, never alone: it sets the variables (-v mode=range,
# or mode=text|csv|json|html with section, from, to, kind, dbn, dbmin,
# dbmax, covknown, top, gen; GHA_REPORT_SPEC and GHA_REPORT_TARGET in
# the environment) and names the query answers as files (summary, cov,
# miss, types, owners, gt1, lt1, repos: each known by its file name).
# It is a file of its own, installed beside gha-common.sh (make
# install), so that it can be read, edited and checked as awk; it must
# work under mawk as well as gawk.

# A[k] gains v at the end of its comma-separated list.  (Tested first:
# mawk makes A[k] before it reads the right side of A[k] = (k in A ? ...).)
function listadd(A, k, v) {
	if (k in A)
		A[k] = A[k] ", " v
	else
		A[k] = v
}

# Day numbers, days since 1970-01-01, to and from "YYYY-MM-DD" (dfc()
# and e2day() of gha-common.sh's awk functions, read before this file).
function dnum(s) {
	return dfc(substr(s, 1, 4) + 0, substr(s, 6, 2) + 0, substr(s, 9, 2) + 0)
}
function dstr(z) {
	return e2day(z * 86400)
}
function isday(s) {
	return s ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/ && \
	    substr(s, 1, 4) + 0 >= 1970 && dstr(dnum(s)) == s
}

# range mode: spec (--days), dbn, dbmin, dbmax -> "FROM TO" or "" (none).
function range(   a, b, i) {
	if (spec == "") {
		if (dbn + 0 == 0)
			return ""
		a = dstr(dnum(dbmax) - 30)
		return (a < dbmin ? dbmin : a) " " dbmax
	}
	if ((i = index(spec, "..")) > 0) {
		a = substr(spec, 1, i - 1)
		b = substr(spec, i + 2)
	} else
		a = b = spec
	if (a == "" && b == "")
		return dbn + 0 == 0 ? "" : dbmin " " dbmax
	if (a != "" && !isday(a) || b != "" && !isday(b))
		return "ERR not a day or a range of days (YYYY-MM-DD..YYYY-MM-DD): " spec
	if (a == "")
		a = dbn + 0 == 0 || dbmin > b ? b : dbmin
	if (b == "")
		b = dbn + 0 == 0 || dbmax < a ? a : dbmax
	if (a > b)
		return "ERR the range ends before it starts: " spec
	if (dnum(b) - dnum(a) >= 36600)
		return "ERR the range is longer than 100 years: " spec
	return a " " b
}

function commas(s,   r) {
	s = s ""
	if (s !~ /^-?[0-9]+$/)
		return s
	r = ""
	while (length(s) > 3 && substr(s, length(s) - 3, 1) ~ /[0-9]/) {
		r = "," substr(s, length(s) - 2) r
		s = substr(s, 1, length(s) - 3)
	}
	return s r
}
function h(s) {
	gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s)
	return s
}
function js(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
	gsub(/\t/, "\\t", s); gsub(/\r/, "\\r", s); gsub(/\n/, "\\n", s)
	return "\"" s "\""
}
function csv(s) {
	if (s ~ /[",\r\n]/) {
		gsub(/"/, "\"\"", s)
		return "\"" s "\""
	}
	return s
}
function plural(n, w) {
	return commas(n) " " w (n + 0 == 1 ? "" : "s")
}

# --- the tables: one model, four renderings ---
# Section s has title T[s], NC[s] columns named CN[s,c] of kind CK[s,c]
# ("n" number, "s" string), NROW[s] rows of cells V[s,r,c] ("" = null).
function defsec(s, title, cols,   n, a, i) {
	T[s] = title
	n = split(cols, a, " ")
	NC[s] = n
	for (i = 1; i <= n; i++) {
		CK[s, i] = substr(a[i], 1, 1)
		CN[s, i] = substr(a[i], 3)
	}
	NROW[s] = 0
}
function tsvrow(s,   r, c) {
	r = ++NROW[s]
	for (c = 1; c <= NC[s]; c++)
		V[s, r, c] = ($c == "\\N" ? "" : $c)
}

# Coverage of day d, in words (text and HTML).
function covtext(d,   t) {
	if (!covknown)
		return "unknown"
	if (!(d in CL))
		return "not in ledger"
	t = CL[d] "/24"
	if (CM[d] + 0 > 0)
		t = t ", " CM[d] " missing"
	if (CC[d] + 0 > 0)
		t = t ", " CC[d] " corrupt"
	if (CP[d] + 0 > 0)
		t = t ", " CP[d] " pending"
	if (CF[d] + 0 == 0)
		t = t ", provisional"
	return t
}

BEGIN {
	# The thin-day rule, gha-daily's for hours (thin() in gha-common.sh):
	# a day with fewer than TRATIO times the median events of the TWIN
	# days before it (at least TNEED of them known) is flagged.
	TRATIO = 0.2; TWIN = 7; TNEED = 3
	FS = "\t"
	spec = ENVIRON["GHA_REPORT_SPEC"]
	target = ENVIRON["GHA_REPORT_TARGET"]
	if (mode == "range") {
		# and the first day the thin-day rule reads (TWIN before)
		r = range()
		print r (r ~ /^[0-9]/ ? " " dstr(dnum(r) - TWIN) : "")
		exit
	}
	secs = "summary types owners gt1 lt1 repos sources"
	nsec = split(secs, SECS, " ")
	defsec("summary", "Daily summary", "d:day n:events n:developers " \
	    "n:devs_gt1_commit n:devs_lt1_commit n:repos_gt10_members " \
	    "n:commits_estimated n:hours_loaded n:hours_missing " \
	    "n:hours_pending n:final n:hours_corrupt n:bots n:pushes " \
	    "n:pushes_unknown n:pushes_unknown_pct n:incomplete n:thin")
	defsec("types", "Event types", "s:type n:events")
	defsec("owners", "Developers owning more than one repository " \
	    "(all loaded days)", "s:actor_login n:repos_owned n:repos_created")
	defsec("gt1", "Developers with more than one commit a day",
	    "s:actor_login n:days n:commits n:commits_estimated" \
	    (bots ? " n:bot" : ""))
	defsec("lt1", "Developers active without a commit (less than one " \
	    "a day)", "s:actor_login n:days n:events" (bots ? " n:bot" : ""))
	defsec("repos", "Repositories with more than ten members a day",
	    "s:repo_name n:days n:max_members")
	# The sources of each day: the union of their copies is a lower
	# bound of the events of the day, union - events what a source
	# missed at least, events / union its share at most; no total is
	# claimed.  id_gap (where an hour's ids are one sequence) bounds
	# from above what no source captured.
	defsec("sources", "Sources of the archive, by day (the union is a " \
	    "lower bound of the day's events)", "d:day s:source " \
	    "n:hours_loaded n:events n:only_events n:union_events " \
	    "n:missed_at_least n:share_pct_at_most n:none_captured_at_most")
	if (bots) {
		T["types"] = T["types"] ", bots included"
		T["gt1"] = "Actors, bots included, with more than one commit a day"
		T["lt1"] = "Actors, bots included, active without a commit"
		T["repos"] = "Repositories with more than ten members a day, " \
		    "bots counted as members"
		T["owners"] = T["owners"] ", developers only: the view has no bots"
	}
	JKEY["summary"] = "summary"
	JKEY["types"] = "event_types"
	JKEY["owners"] = "devs_owning_multiple_repos"
	JKEY["gt1"] = "devs_more_than_one_commit"
	JKEY["lt1"] = "devs_less_than_one_commit"
	JKEY["repos"] = "repos_more_than_ten_members"
	JKEY["sources"] = "sources"
	nd = from == "" ? 0 : dnum(to) - dnum(from) + 1
	f0 = from == "" ? 0 : dnum(from)
	for (i = 0; i < nd; i++)
		DAY[i] = dstr(f0 + i)
	nsum = 0
}
{
	n = split(FILENAME, fp, "/")
	f = fp[n]
}
f == "summary" {
	# (days before the range: only their volume, for the thin-day rule)
	VOL[$1] = $2 + 0
	if ($1 < from || $2 + 0 == 0)
		next
	S[$1] = NR
	for (c = 2; c <= 7; c++)
		SV[$1, c] = $c
	BT[$1] = $8
	nsum++
	next
}
f == "pushes" {
	PU[$1] = $2; PN[$1] = $3
	next
}
f == "cov" {
	CL[$1] = $2; CM[$1] = $3; CP[$1] = $4; CF[$1] = $5; CC[$1] = $6
	next
}
f == "miss" && $2 == "missing" {
	listadd(MH, substr($1, 1, 10), $1)
	next
}
f == "miss" && $2 == "corrupt" {
	listadd(MC, substr($1, 1, 10), $1)
	next
}
f == "types" {
	if ($1 == "\\N")
		$1 = ""
	tsvrow("types")
	tytot += $2
	next
}
f == "owners" || f == "gt1" || f == "lt1" || f == "repos" {
	tsvrow(f)
	next
}
f == "sources" {
	r = ++NROW[f]
	V[f, r, 1] = $1; V[f, r, 2] = $2; V[f, r, 3] = $3; V[f, r, 4] = $4
	V[f, r, 5] = $5; V[f, r, 6] = $6; V[f, r, 7] = $6 - $4
	V[f, r, 8] = $6 + 0 > 0 ? sprintf("%.1f", 100 * $4 / $6) : ""
	V[f, r, 9] = $7 == "\\N" ? "" : $7
	next
}
END {
	if (mode == "range")
		exit
	# The summary has a row for every day of the range.
	for (i = 0; i < nd; i++) {
		d = DAY[i]
		r = ++NROW["summary"]
		V["summary", r, 1] = d
		for (c = 2; c <= 7; c++)
			V["summary", r, c] = d in S ? SV[d, c] : ""
		V["summary", r, 8] = d in CL ? CL[d] : ""
		V["summary", r, 9] = d in CL ? CM[d] : ""
		V["summary", r, 10] = d in CL ? CP[d] : ""
		V["summary", r, 11] = d in CL ? CF[d] : ""
		V["summary", r, 12] = d in CL ? CC[d] : ""
		quality(d)
		V["summary", r, 13] = d in S ? BT[d] : ""
		V["summary", r, 14] = d in S ? PU[d] + 0 : ""
		V["summary", r, 15] = d in S ? PN[d] + 0 : ""
		V["summary", r, 16] = SV[d, "u"]
		V["summary", r, 17] = INC[d]
		V["summary", r, 18] = TH[d]
	}
	if (mode == "text")
		text()
	else if (mode == "csv")
		csvout(section)
	else if (mode == "json")
		json()
	else
		page()
}

# What day d's numbers rest on: INC[d] 1 when the ledger has missing,
# corrupt or pending hours for it (0 when none, "" when the ledger has no
# row); TH[d] 1 when its events are thin (thin(): far below the median
# MED[d] of the TWIN days before it), 0 when not, "" when fewer than
# TNEED of those days are known; SV[d, "u"] the percentage of its
# pushes whose commits the archive does not give.
function quality(d,   z, i, n, v) {
	INC[d] = TH[d] = SV[d, "u"] = ""
	if (covknown && d in CL)
		INC[d] = CM[d] + CC[d] + CP[d] > 0 ? 1 : 0
	if (d in S && PU[d] + 0 > 0)
		SV[d, "u"] = sprintf("%.1f", 100 * PN[d] / PU[d])
	if (!(d in VOL))
		return
	z = dnum(d)
	n = 0
	for (i = z - TWIN; i < z; i++)
		if (dstr(i) in VOL)
			v[++n] = VOL[dstr(i)]
	if (n < TNEED)
		return
	MED[d] = vmedian(v, n)
	TH[d] = thin(VOL[d], MED[d], TRATIO) ? 1 : 0
}
# The notes of day d, in words (text and HTML).
function notes(d,   t) {
	t = ""
	if (INC[d] == 1)
		t = "incomplete"
	if (TH[d] == 1)
		t = t (t == "" ? "" : ", ") "thin"
	if (SV[d, "u"] != "" && SV[d, "u"] + 0 > 0)
		t = t (t == "" ? "" : ", ") SV[d, "u"] "% pushes unknown"
	return t == "" ? "-" : t
}

# --- text ---
function ttable(s, ncol,   r, c, w, v, line) {
	print T[s]
	for (c = 1; c <= ncol; c++)
		w[c] = length(CN[s, c])
	for (r = 1; r <= NROW[s]; r++)
		for (c = 1; c <= ncol; c++) {
			v = tcell(s, r, c)
			if (length(v) > w[c])
				w[c] = length(v)
		}
	for (r = 0; r <= NROW[s]; r++) {
		line = ""
		for (c = 1; c <= ncol; c++) {
			v = r == 0 ? CN[s, c] : tcell(s, r, c)
			if (c == ncol && CK[s, c] != "n")
				line = line v
			else if (CK[s, c] == "n")
				line = line sprintf("%" w[c] "s", v)
			else
				line = line sprintf("%-" w[c] "s", v)
			if (c < ncol)
				line = line "  "
		}
		print line
	}
	if (NROW[s] == 0)
		print "(none)"
}
function tcell(s, r, c,   v) {
	if (s == "summary" && c == 8)
		return covtext(V[s, r, 1])
	if (s == "summary" && c == 9)
		return notes(V[s, r, 1])
	v = V[s, r, c]
	if (s == "summary" && c == 7)
		return v == "" ? "-" : v + 0 ? "yes" : "no"
	if (s == "summary" && v == "")
		return "-"
	return v
}
function text(   k, s, first) {
	printf "%s: %s, ", "gha-report", target
	if (nd == 0)
		print "no days"
	else
		print from ".." to ", " plural(nd, "day") \
		    ", coverage " (covknown ? "from the hour ledger" : "unknown")
	if (nsum == 0) {
		print ""
		print nodata()
		return
	}
	CN["summary", 8] = "coverage"
	CK["summary", 8] = "s"
	CN["summary", 9] = "notes"
	CK["summary", 9] = "s"
	first = 1
	for (k = 1; k <= nsec; k++) {
		s = SECS[k]
		if (section != "" && section != s)
			continue
		if (s == "sources" && NROW[s] == 0 && section == "")
			continue	# one source
		print ""
		ttable(s, s == "summary" ? 9 : NC[s])
	}
}
function nodata() {
	if (dbn + 0 == 0)
		return "No data: the database holds no events."
	return "No data: no events between " from " and " to \
	    "; the database holds " dbmin " to " dbmax "."
}

# --- CSV and JSON ---
function csvout(s,   r, c, line) {
	line = ""
	for (c = 1; c <= NC[s]; c++)
		line = line (c > 1 ? "," : "") csv(CN[s, c])
	print line
	for (r = 1; r <= NROW[s]; r++) {
		line = ""
		for (c = 1; c <= NC[s]; c++)
			line = line (c > 1 ? "," : "") csv(V[s, r, c])
		print line
	}
}
function jval(s, c, v) {
	if (v == "")
		return "null"
	return CK[s, c] == "n" ? v + 0 == v ? v : js(v) : js(v)
}
function json(   k, s, r, c, sep, rs) {
	printf "{\"target\":%s,\"engine\":%s,", js(target), js(kind)
	printf "\"from\":%s,\"to\":%s,\"days\":%d,", \
	    from == "" ? "null" : js(from), to == "" ? "null" : js(to), nd
	printf "\"coverage\":%s,\"generated\":%s", \
	    covknown ? "\"known\"" : "\"unknown\"", js(gen)
	for (k = 1; k <= nsec; k++) {
		s = SECS[k]
		if (section != "" && section != s)
			continue
		printf ",\n%s:[", js(JKEY[s])
		rs = ""
		for (r = 1; r <= NROW[s]; r++) {
			printf "%s\n {", rs
			sep = ""
			for (c = 1; c <= NC[s]; c++) {
				printf "%s%s:%s", sep, js(CN[s, c]), \
				    jval(s, c, V[s, r, c])
				sep = ","
			}
			printf "}"
			rs = ","
		}
		printf "]"
	}
	print "}"
}

# --- HTML ---
# Chart geometry (SVG user units): the coverage strip shares it, so a
# day sits at the same x in every chart.
function geom() {
	CW = 600; ML = 70; MR = 14
	PW = CW - ML - MR
	BW = nd > 0 ? PW / nd : PW
}
function nicestep(x,   p, f) {
	if (x <= 1)
		return 1
	p = 10 ^ int(log(x) / log(10) + 1e-9)
	f = x / p
	f = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
	return f * p
}
function short(v) {
	if (v >= 10000000)
		return int(v / 1000000 + 0.5) "M"
	return commas(v)
}
function xlabels(y,   k, i, x, out, lab) {
	k = int((nd + 7) / 8)
	out = ""
	for (i = 0; i < nd; i += k) {
		x = ML + (i + 0.5) * BW
		lab = nd == 1 || i == 0 ? DAY[i] : substr(DAY[i], 6)
		out = out sprintf("<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" " \
		    "y1=\"%d\" y2=\"%d\"/>", x, x, y, y + 4)
		out = out sprintf("<text class=\"xl\" x=\"%.1f\" y=\"%d\">%s" \
		    "</text>", x, y + 16, lab)
	}
	return out
}
function chart(id, col, title, unit, what, estmark,
    i, d, v, max, step, ymax, y, x, bh, out, MT, PH, H, pad, bw, anyest,
    anyprov, anynone, cls, tip, lab, anygap, anythin) {
	MT = 24; PH = 170; H = MT + PH + 52
	max = 0
	for (i = 0; i < nd; i++)
		if ((d = DAY[i]) in S && SV[d, col] + 0 > max)
			max = SV[d, col] + 0
	step = nicestep(max / 4)
	ymax = step * int((max + step - 1) / step)
	if (ymax == 0)
		ymax = step
	pad = BW >= 4 ? BW * 0.15 : 0
	bw = BW - 2 * pad
	out = sprintf("<figure class=\"chart\" id=\"%s\"><h3>%s</h3>\n", id, \
	    title)
	out = out sprintf("<svg viewBox=\"0 0 %d %d\" role=\"img\" " \
	    "aria-label=\"%s, %s to %s\">\n", CW, H, h(title), from, to)
	for (v = 0; v <= ymax; v += step) {
		y = MT + PH - v / ymax * PH
		out = out sprintf("<line class=\"grid\" x1=\"%d\" x2=\"%d\" " \
		    "y1=\"%.1f\" y2=\"%.1f\"/><text class=\"yl\" x=\"%d\" " \
		    "y=\"%.1f\">%s</text>\n", ML, ML + PW, y, y, ML - 6, y + 4, \
		    short(v))
	}
	for (i = 0; i < nd; i++) {
		d = DAY[i]
		x = ML + i * BW + pad
		if (!(d in S)) {
			anynone = 1
			out = out sprintf("<rect class=\"none\" x=\"%.2f\" " \
			    "y=\"%d\" width=\"%.2f\" height=\"%d\"><title>%s: " \
			    "no data</title></rect>\n", ML + i * BW, MT, BW, \
			    PH, d)
			continue
		}
		v = SV[d, col] + 0
		bh = v / ymax * PH
		cls = "bar"
		tip = d ": " commas(v) " " what
		if (covknown && d in CL && CF[d] + 0 == 0) {
			cls = cls " prov"
			tip = tip " (provisional)"
			anyprov = 1
		}
		if (estmark && SV[d, 7] + 0) {
			tip = tip " (commit counts estimated)"
			anyest = 1
		}
		out = out sprintf("<rect class=\"%s\" data-day=\"%s\" " \
		    "data-value=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" " \
		    "height=\"%.2f\"><title>%s</title></rect>\n", cls, d, \
		    SV[d, col], x, MT + PH - bh, bw, bh, tip)
		lab = ""
		if (nd <= 10)
			lab = commas(v)
		if (estmark && SV[d, 7] + 0)
			lab = lab "*"
		if (lab != "")
			out = out sprintf("<text class=\"vl\" x=\"%.1f\" " \
			    "y=\"%.1f\">%s</text>\n", x + bw / 2, \
			    MT + PH - bh - 4, lab)
	}
	# What the numbers rest on, above the plot: a red band over a day
	# with missing, corrupt or pending hours, a triangle over a thin day.
	for (i = 0; i < nd; i++) {
		d = DAY[i]
		x = ML + i * BW
		if (INC[d] == 1) {
			anygap = 1
			out = out sprintf("<rect class=\"gap\" data-day=\"%s\" " \
			    "x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"5\">" \
			    "<title>%s</title></rect>\n", d, x + 0.5, MT - 22, BW - 1, \
			    h(gaptext(d)))
		}
		if (TH[d] == 1) {
			anythin = 1
			out = out sprintf("<path class=\"thin\" data-day=\"%s\" " \
			    "d=\"M%.2f %d l-4.5 -8 h9 z\"><title>%s</title></path>\n", \
			    d, x + BW / 2, MT - 13, h(thintext(d)))
		}
	}
	out = out sprintf("<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" " \
	    "y2=\"%d\"/>\n", ML, ML + PW, MT + PH, MT + PH)
	out = out xlabels(MT + PH) "\n"
	out = out sprintf("<text class=\"at\" x=\"%.1f\" y=\"%d\">day (UTC), " \
	    "%s to %s</text>\n", ML + PW / 2, MT + PH + 36, from, to)
	out = out sprintf("<text class=\"at\" transform=\"translate(14 %.1f) " \
	    "rotate(-90)\">%s</text>\n", MT + PH / 2, unit)
	out = out "</svg>\n"
	if (anyest || anyprov || anynone || anygap || anythin) {
		out = out "<p class=\"note\">"
		if (anygap)
			out = out "<span class=\"gapkey\"></span>Red band: missing, " \
			    "corrupt or pending hours that day (the numbers may " \
			    "be short; the hours are in its title and under " \
			    "Coverage). "
		if (anythin)
			out = out "<span class=\"thinkey\">&#9660;</span>Thin day: " \
			    "fewer than " TRATIO * 100 "% of the median events " \
			    "of the " TWIN " days before it. "
		if (anyest)
			out = out "* commit counts estimated that day: pushes " \
			    "whose size the archive does not give count as " \
			    "one commit (a lower bound). "
		if (anyprov)
			out = out "Pale bars: provisional days, still being " \
			    "loaded. "
		if (anynone)
			out = out "Grey hatched: no data for the day. "
		out = out "</p>\n"
	}
	return out "</figure>\n"
}
# The titles of the marks: the day's missing, corrupt and pending hours;
# its events against the median.
function gaptext(d,   t) {
	t = d ":"
	if (CM[d] + 0 > 0)
		t = t " " CM[d] " missing" (d in MH ? " (" MH[d] ")" : "") ","
	if (CC[d] + 0 > 0)
		t = t " " CC[d] " corrupt" (d in MC ? " (" MC[d] ")" : "") ","
	if (CP[d] + 0 > 0)
		t = t " " CP[d] " pending,"
	return substr(t, 1, length(t) - 1) " of 24 hours: the numbers may be short"
}
function thintext(d) {
	return d ": " plural(VOL[d], "event") ", far below the median of the " \
	    TWIN " days before it (" commas(MED[d]) ")"
}
function strip(   i, j, n, seg, d, x, y, MT, PH, H, hl, hm, hp, hc, out, \
    tip, k) {
	MT = 8; PH = 48; H = MT + PH + 52
	split("loaded pending corrupt missing", seg, " ")
	out = "<svg viewBox=\"0 0 " CW " " H "\" role=\"img\" " \
	    "aria-label=\"hours loaded per day\">\n"
	out = out sprintf("<text class=\"yl\" x=\"%d\" y=\"%d\">24 h</text>" \
	    "<text class=\"yl\" x=\"%d\" y=\"%d\">0</text>\n", ML - 6, \
	    MT + 8, ML - 6, MT + PH)
	for (i = 0; i < nd; i++) {
		d = DAY[i]
		x = ML + i * BW
		if (!(d in CL)) {
			out = out sprintf("<rect class=\"none\" x=\"%.2f\" " \
			    "y=\"%d\" width=\"%.2f\" height=\"%d\"><title>%s: " \
			    "not in the ledger</title></rect>\n", x, MT, BW, PH, d)
			continue
		}
		hl = CL[d] + 0; hm = CM[d] + 0; hp = CP[d] + 0; hc = CC[d] + 0
		tip = d ": " hl " hours loaded, " hm " missing"
		if (d in MH)
			tip = tip " (" MH[d] ")"
		if (hc > 0)
			tip = tip ", " hc " corrupt" (d in MC ? " (" MC[d] ")" : "")
		tip = tip ", " hp " pending" (CF[d] + 0 ? ", final" : \
		    ", provisional")
		out = out sprintf("<g class=\"day%s\" data-day=\"%s\" " \
		    "data-loaded=\"%d\" data-missing=\"%d\" data-pending=\"%d\" " \
		    "data-corrupt=\"%d\"><title>%s</title>", \
		    CF[d] + 0 ? "" : " prov", d, hl, hm, hp, hc, h(tip))
		# The day's bar: loaded, pending, corrupt, missing, from the
		# bottom up, each its share of 24 hours.
		n[1] = hl; n[2] = hp; n[3] = hc; n[4] = hm
		y = MT + PH
		for (j = 1; j <= 4; j++) {
			k = n[j] * PH / 24
			out = out sprintf("<rect class=\"%s\" x=\"%.2f\" " \
			    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>", \
			    seg[j], x, y - k, BW, k)
			y -= k
		}
		if (CF[d] + 0 == 0)
			out = out sprintf("<rect class=\"provbox\" x=\"%.2f\" " \
			    "y=\"%d\" width=\"%.2f\" height=\"%d\"/>", x + 0.5, \
			    MT, BW - 1, PH)
		if (hm > 0 && BW >= 12)
			out = out sprintf("<text class=\"vl miss\" x=\"%.1f\" " \
			    "y=\"%d\">%d</text>", x + BW / 2, MT + PH / 2 + 4, hm)
		out = out "</g>\n"
	}
	out = out sprintf("<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" " \
	    "y2=\"%d\"/>\n", ML, ML + PW, MT + PH, MT + PH)
	out = out xlabels(MT + PH) "\n"
	out = out sprintf("<text class=\"at\" x=\"%.1f\" y=\"%d\">day (UTC), " \
	    "%s to %s</text>\n", ML + PW / 2, MT + PH + 36, from, to)
	return out "</svg>\n"
}
function typechart(   r, y, w, out, H, LW, BWX, v, max) {
	LW = 236; BWX = 250
	H = NROW["types"] * 20 + 10
	max = NROW["types"] > 0 ? V["types", 1, 2] + 0 : 1
	out = sprintf("<svg viewBox=\"0 0 %d %d\" role=\"img\" " \
	    "aria-label=\"events by type\">\n", CW, H)
	for (r = 1; r <= NROW["types"]; r++) {
		y = 5 + (r - 1) * 20
		v = V["types", r, 2] + 0
		w = max > 0 ? v / max * BWX : 0
		out = out sprintf("<text class=\"yl\" x=\"%d\" y=\"%d\">%s" \
		    "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.2f\" " \
		    "height=\"14\"><title>%s: %s events</title></rect>" \
		    "<text class=\"tl\" x=\"%.1f\" y=\"%d\">%s (%.1f%%)</text>\n", \
		    LW - 6, y + 11, h(V["types", r, 1] == "" ? "(none)" : \
		    V["types", r, 1]), LW, y, w, h(V["types", r, 1]), commas(v), \
		    LW + w + 6, y + 11, commas(v), tytot > 0 ? 100 * v / tytot : 0)
	}
	return out "</svg>\n"
}
function typenote(   i, d, l, n) {
	n = 0; l = ""
	for (i = 0; i < nd; i++)
		if (INC[d = DAY[i]] == 1) {
			n++
			l = l (l == "" ? "" : ", ") d
		}
	if (n > 0)
		printf "<p class=\"note\" id=\"types-gaps\">Over %s with " \
		    "missing, corrupt or pending hours: %s.</p>\n", \
		    plural(n, "day"), l
}
function htable(s, id, ncol,   r, c, v, out, cls) {
	out = "<table id=\"" id "\">" (id == "summary" ? "" : "<caption>" \
	    h(T[s]) "</caption>") "\n<thead><tr>"
	for (c = 1; c <= ncol; c++)
		out = out "<th" (CK[s, c] == "n" ? " class=\"n\"" : "") ">" \
		    h(CN[s, c]) "</th>"
	out = out "</tr></thead>\n<tbody>\n"
	for (r = 1; r <= NROW[s]; r++) {
		out = out "<tr>"
		for (c = 1; c <= ncol; c++) {
			v = tcell(s, r, c)
			cls = CK[s, c] == "n" ? " class=\"n\"" : ""
			if (s == "summary" && c == 8 && \
			    (CM[V[s, r, 1]] + 0 > 0 || v ~ /provisional/))
				cls = " class=\"warn\""
			if (s == "summary" && c == 7 && v == "yes")
				cls = " class=\"warn\""
			if (s == "summary" && c == 9 && v != "-")
				cls = " class=\"warn\""
			out = out "<td" cls ">" h(CK[s, c] == "n" ? commas(v) : \
			    v) "</td>"
		}
		out = out "</tr>\n"
	}
	if (NROW[s] == 0)
		out = out "<tr><td colspan=\"" ncol "\">none</td></tr>\n"
	return out "</tbody></table>\n"
}
function page(   title, k) {
	geom()
	title = "GitHub activity" (nd > 0 ? ", " from (from == to ? "" : \
	    " to " to) : "")
	print "<!DOCTYPE html>"
	print "<html lang=\"en\"><head><meta charset=\"utf-8\">"
	print "<meta name=\"viewport\" content=\"width=device-width, " \
	    "initial-scale=1\">"
	print "<title>" h(title) "</title>"
	print "<style>"
	print "body{font:14px/1.45 \"DejaVu Sans\",\"Helvetica Neue\"," \
	    "Arial,sans-serif;color:#1d1d1d;background:#fff;max-width:1240px;" \
	    "margin:0 auto;padding:12px 20px}"
	print "h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;" \
	    "margin:1.2em 0 .4em;border-bottom:1px solid #ccc}" \
	    "h3{font-size:1em;margin:.2em 0}"
	print ".meta{color:#555;margin:.2em 0}.note{font-size:.85em;" \
	    "color:#444;margin:.2em 0}"
	print ".charts{display:grid;grid-template-columns:repeat(auto-fill," \
	    "minmax(520px,1fr));gap:12px 24px}#coverage svg{max-width:640px}"
	print "figure{margin:0;break-inside:avoid;page-break-inside:avoid}" \
	    "svg{width:100%;height:auto;display:block}"
	print "svg text{font-size:11px;fill:#333}.yl{text-anchor:end}" \
	    ".xl,.vl,.at{text-anchor:middle}.at{font-size:12px;fill:#222}" \
	    ".vl{font-size:10px}.tl{font-size:11px}"
	print ".grid{stroke:#e2e2e2}.axis,.tick{stroke:#555}" \
	    ".bar{fill:#3a6ea5}.bar.prov{fill:#a9c3df;stroke:#3a6ea5;" \
	    "stroke-dasharray:3 2}"
	print ".none{fill:url(#hatch)}.loaded{fill:#4a9a4a}" \
	    ".pending{fill:#c7c7c7}.corrupt{fill:#e08a1e}.missing{fill:#d0312d}.miss{fill:#fff;" \
	    "font-weight:bold}.provbox{fill:none;stroke:#b8860b;" \
	    "stroke-width:1.5;stroke-dasharray:3 2}"
	print ".gap{fill:#d0312d}.thin{fill:#7b3fa0}.gapkey{display:inline-block;" \
	    "width:1.2em;height:.35em;background:#d0312d;margin-right:.3em;" \
	    "vertical-align:.2em}.thinkey{color:#7b3fa0;margin-right:.2em}" \
	    ".flag{color:#5a2d78;font-weight:bold;margin:.3em 0}"
	print ".key{display:inline-block;width:.9em;height:.9em;" \
	    "vertical-align:-.1em;margin:0 .3em 0 1em;border:1px solid #888}"
	print "table{border-collapse:collapse;margin:.4em 0 1em;" \
	    "font-size:.9em}caption{text-align:left;font-weight:bold;" \
	    "padding:.2em 0}th,td{padding:.15em .7em;border-bottom:1px " \
	    "solid #ddd;text-align:left}.n{text-align:right;" \
	    "font-variant-numeric:tabular-nums}.warn{color:#a8231f}"
	print ".lists{display:grid;grid-template-columns:repeat(auto-fill," \
	    "minmax(360px,1fr));gap:0 24px;align-items:start}"
	print ".empty{font-size:1.3em;padding:1.5em;border:2px dashed #999;" \
	    "background:#f6f6f6;text-align:center}"
	print "@media print{body{max-width:none;padding:0;font-size:9pt}" \
	    ".charts{grid-template-columns:1fr 1fr}.lists{" \
	    "grid-template-columns:1fr 1fr}h2{break-after:avoid}}"
	print "@page{size:A4;margin:12mm}"
	print "</style></head><body>"
	# One hatch pattern for the whole page.
	print "<svg width=\"0\" height=\"0\" style=\"position:absolute\" " \
	    "aria-hidden=\"true\"><defs><pattern id=\"hatch\" width=\"6\" " \
	    "height=\"6\" patternUnits=\"userSpaceOnUse\" " \
	    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" " \
	    "fill=\"#f2f2f2\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" " \
	    "stroke=\"#bbb\" stroke-width=\"2\"/></pattern></defs></svg>"
	print "<h1>" h(title) "</h1>"
	printf "<p class=\"meta\">From %s (%s): %s. Generated %s by " \
	    "gha-report from the GH Archive.</p>\n", h(target), \
	    (kind == "sqlite" ? "SQLite" : "ClickHouse"), \
	    (nd > 0 ? from " to " to ", " plural(nd, "day") " (UTC)" : \
	    "no days"), h(gen)
	if (nsum == 0) {
		print "<p class=\"empty\" id=\"nodata\">" h(nodata()) "</p>"
		if (covknown && nd > 0)
			coverage()
		print "</body></html>"
		return
	}
	print "<h2>Metrics per day</h2>"
	print "<p class=\"note\">A developer is a GitHub login; days are " \
	    "UTC dates of the events. Commits are the pushes' commit " \
	    "counts; duplicated events count once.</p>"
	print "<p class=\"note\" id=\"bots-note\">" (bots ? "Bots are " \
	    "left out of the charts and the summary but shown in the lists " \
	    "(--bots)" : "Bots (logins ending in [bot], and the list " \
	    "of bots) are left out of every chart and list") ": their " \
	    "actors per day are the summary's bots column.</p>"
	thinlist()
	print "<div class=\"charts\">"
	printf "%s", chart("c-events", 2, "Events", "events per day", \
	    "events", 0)
	printf "%s", chart("c-developers", 3, "Active developers", \
	    "developers per day", "developers", 0)
	printf "%s", chart("c-gt1", 4, "Developers with more than one commit",
	    "developers per day", "developers", 1)
	printf "%s", chart("c-lt1", 5, "Developers active without a commit " \
	    "(less than one)", "developers per day", "developers", 1)
	printf "%s", chart("c-repos", 6, "Repositories with more than ten " \
	    "members (pushers)", "repositories per day", "repositories", 0)
	printf "%s", chart("c-unknown", "u", "Pushes whose commit count the " \
	    "archive does not give (counted as 1)", "% of the day's pushes", \
	    "% of the day's pushes", 0)
	print "<figure class=\"chart\" id=\"c-types\"><h3>Event types, " \
	    "all days of the range</h3>"
	printf "%s", typechart()
	typenote()
	print "</figure>"
	print "</div>"
	coverage()
	print "<h2>Daily summary</h2>"
	CN["summary", 8] = "coverage"
	CK["summary", 8] = "s"
	CN["summary", 9] = "notes"
	CK["summary", 9] = "s"
	printf "%s", htable("summary", "summary", 9)
	if (NROW["sources"] > 0) {
		print "<h2>Sources</h2>"
		printf "%s", htable("sources", "sources", NC["sources"])
		print "<p class=\"note\">union: the events of every " \
		    "source's copies, each once, a lower bound of the " \
		    "day's events; missed_at_least: the union's events " \
		    "this source lacks; share_pct_at_most: its events of " \
		    "the union; none_captured_at_most: ids between the " \
		    "lowest and highest of each hour that no source has, " \
		    "where ids are one sequence (2015-01-01 to 2025-10-07)" \
		    ", else empty.</p>"
	}
	print "<h2>Top " top " of each list, over the range</h2>"
	print "<div class=\"lists\">"
	for (k = 3; k <= nsec; k++)
		if (SECS[k] != "sources")
			printf "%s", htable(SECS[k], "top-" SECS[k],
			    NC[SECS[k]])
	printf "%s", htable("types", "top-types", 2)
	print "</div>"
	print "<p class=\"note\">days: days of the range on which the " \
	    "developer or repository was on the list; commits, events: " \
	    "summed over those days; max_members: the most distinct pushers " \
	    "in one day.</p>"
	print "</body></html>"
}
function thinlist(   i, d, l) {
	l = ""
	for (i = 0; i < nd; i++)
		if (TH[d = DAY[i]] == 1)
			l = l (l == "" ? "" : "; ") d " (" plural(VOL[d], "event") \
			    ", median " commas(MED[d]) ")"
	if (l != "")
		print "<p class=\"flag\" id=\"thin-days\">&#9660; Thin days, " \
		    "fewer than " TRATIO * 100 "% of the median events of the " \
		    TWIN " days before them: " h(l) ".</p>"
}
function coverage(   d, i, any) {
	print "<h2>Coverage: archive hours loaded per day</h2>"
	if (!covknown) {
		print "<p id=\"coverage-unknown\">Coverage unknown: the " \
		    "hour ledger (daily_coverage) has no row for these days, " \
		    "so a quiet day cannot be told from a day with missing " \
		    "hours.</p>"
		return
	}
	print "<figure id=\"coverage\">"
	printf "%s", strip()
	print "<p class=\"note\"><span class=\"key\" style=\"background:" \
	    "#4a9a4a\"></span>loaded<span class=\"key\" style=\"background:" \
	    "#d0312d\"></span>missing (never published or unreadable)" \
	    "<span class=\"key\" style=\"background:#e08a1e\"></span>corrupt " \
	    "(the archive's file damaged; tried again)" \
	    "<span class=\"key\" style=\"background:#c7c7c7\"></span>pending" \
	    "<span class=\"key\" style=\"border:1.5px dashed #b8860b\">" \
	    "</span>provisional day (may still change)<span class=\"key\" " \
	    "style=\"background:#eee\"></span>not in the ledger</p>"
	any = 0
	for (i = 0; i < nd; i++)
		if ((d = DAY[i]) in MH) {
			if (!any++)
				print "<p class=\"note\">Missing hours: "
			print h(MH[d]) "."
		}
	if (any)
		print "</p>"
	any = 0
	for (i = 0; i < nd; i++)
		if ((d = DAY[i]) in MC) {
			if (!any++)
				print "<p class=\"note\" id=\"corrupt-hours\">" \
				    "Corrupt hours: "
			print h(MC[d]) "."
		}
	if (any)
		print "</p>"
	print "</figure>"
}
