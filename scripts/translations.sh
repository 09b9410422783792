#!/usr/bin/env bash
# Keep the Danish and English translation catalogues in step with the source.
#
#   scripts/translations.sh extract   # source -> diary/translations/messages.pot
#   scripts/translations.sh update    # messages.pot -> da and en messages.po (new msgids empty)
#   scripts/translations.sh compile   # messages.po -> messages.mo (commit the .mo files too)
#   scripts/translations.sh all       # all three, in that order
#
# Run it from anywhere; it works from the repository root. PYBABEL picks the pybabel to use,
# POT where `extract` writes the template (tests/web/test_translations.py extracts to a temporary
# file this way, to compare a fresh extraction with the catalogues).
set -euo pipefail

cd "$(dirname "$0")/.."

PYBABEL=${PYBABEL:-.venv/bin/pybabel}
DIR=diary/translations
POT=${POT:-$DIR/messages.pot}
LANGS=(da en)

extract() {
    mkdir -p "$(dirname "$POT")"
    # gettext, ngettext and _ are default keywords; N_ marks strings in diary/entries/codes.py and
    # diary/entries/validation.py that are translated later, _l / lazy_gettext are the lazy forms.
    "$PYBABEL" extract -F babel.cfg \
        -k _l -k lazy_gettext -k N_ -k ngettext:1,2 -k lazy_ngettext:1,2 \
        --add-comments=Translators: --add-location=file \
        --project=Bækkendagbog --copyright-holder=Bækkendagbog \
        -o "$POT" .
}

update() {
    local lang
    for lang in "${LANGS[@]}"; do
        if [[ -f $DIR/$lang/LC_MESSAGES/messages.po ]]; then
            "$PYBABEL" update -i "$POT" -d "$DIR" -l "$lang" --no-fuzzy-matching --ignore-obsolete
        else
            "$PYBABEL" init -i "$POT" -d "$DIR" -l "$lang"
        fi
    done
}

compile() {
    "$PYBABEL" compile -d "$DIR" --statistics
}

case "${1:-}" in
    extract) extract ;;
    update) update ;;
    compile) compile ;;
    all) extract; update; compile ;;
    *)
        echo "usage: $0 extract|update|compile|all" >&2
        exit 2
        ;;
esac
