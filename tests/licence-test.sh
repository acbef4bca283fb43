#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# Every source file says its licence (SPDX) and copyright in its first lines,
# and the licence it names is the one in LICENSE.
# usage: licence-test.sh SOURCE_DIR
set -u
cd "$1"
missing=0 total=0
while IFS= read -r -d '' f; do
    total=$((total + 1))
    if ! head -3 "$f" | grep -q "SPDX-License-Identifier: GPL-3.0-or-later" ||
       ! head -4 "$f" | grep -q "Copyright (C) [0-9]* The listdex authors"; then
        echo "no SPDX line or copyright: $f"
        missing=$((missing + 1))
    fi
done < <(find src include tests scripts bench data completions man systemd debian .ci CMakeLists.txt -type f \
              \( -name '*.cpp' -o -name '*.h2m' -o -path 'systemd/*' -o -name '*.hpp' -o -name '*.py' -o -name '*.sh' -o -name '*.bash' -o -name '*.mjs' \
                 -o -name CMakeLists.txt -o -path './.ci/*' -o -path '.ci/*' \) -print0)
grep -q "GNU GENERAL PUBLIC LICENSE" LICENSE && grep -q "Version 3, 29 June 2007" LICENSE ||
    { echo "LICENSE is not the GPL version 3"; missing=$((missing + 1)); }
echo "licence: $total files checked, $missing without"
[ "$missing" = 0 ]
