#!/bin/sh
# The readiness page's screenshots in docs/ (desktop, 420 px, dark), made again from scratch:
# a copy of examples/app named `shop` on a branch, four `devsetup up` runs for the timings, then
# four things broken (two keys new in .env.example, a new migration, a built file gone, a new
# step), `doctor --report`, and headless Chromium. Run `npm run build` first.
set -eu
repo_root=$(cd "$(dirname "$0")/.." && pwd)
chromium=$(command -v chromium || command -v chromium-browser)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DEVSETUP_STATE_DIR="$work/state" NO_COLOR=1
devsetup() { node "$repo_root/bin/devsetup.js" "$@"; }
git_() { git -c user.name=dev -c user.email=dev@example.test "$@"; }

cp -a "$repo_root/examples/app" "$work/shop"
cd "$work/shop"
git init -q -b main && git_ add -A && git_ commit -qm 'the example app'
devsetup up >/dev/null
for css in assets/*.css; do echo '/* edited */' >>"$css"; devsetup up >/dev/null; done

git checkout -qb feature/notes-tags
printf 'DATABASE_URL=sqlite:db/development.sqlite3\nMAIL_FROM=dev@example.test\n' >>.env.example
echo 'ALTER TABLE notes ADD COLUMN tags TEXT;' >db/migrations/003_add_notes_tags.sql
rm public/app.css
printf '\n  - name: Git hooks\n    run: git config core.hooksPath .githooks\n    check: test "$(git config core.hooksPath)" = .githooks\n' >>devsetup.yml
git_ add -A && git_ commit -qm 'notes: tags'
devsetup doctor --report "$work/report.html" >/dev/null || true

# Headless Chromium's window is at least 500 px wide: the 420 px view is the page in an iframe
# of that width, on a grey band that shows where the 420 px end.
printf '<!doctype html><body style="margin:0;background:#98a2b3"><iframe src="report.html" style="display:block;margin:0 auto;width:420px;height:2200px;border:0"></iframe></body>' >"$work/narrow.html"
shot() { # <png in docs/> <width,height> <page> [flags...]
  out=$1 size=$2 page=$3
  shift 3
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" "$@" --window-size="$size" \
    --screenshot="$repo_root/docs/$out" "file://$work/$page" 2>/dev/null
}
# Sized to show the header and the checklist, each PNG under ~150 kB; the 420 px one down to the
# runs chart (its labels and totals must stay whole there).
shot doctor-report.png 1000,1250 report.html
shot doctor-report-dark.png 1000,1250 report.html --force-dark-mode --blink-settings=preferredColorScheme=0
shot doctor-report-420px.png 500,2200 narrow.html
ls -l "$repo_root"/docs/doctor-report*.png
