#!/bin/sh
# Renders Dropscope's icon (assets/icon.svg) into the PNGs electron-builder packs:
#   assets/packaging/icons/NxN.png  the Linux icon set (hicolor sizes; deb, rpm and AppImage)
#   assets/packaging/icon.png       1024 px, from which electron-builder makes the macOS .icns
#                                   and the Windows .ico
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin). The PNGs are committed: run this
# after changing the SVG and commit the result with it.
set -eu
cd "$(dirname "$0")"
svg=../icon.svg
command -v rsvg-convert >/dev/null 2>&1 || {
  echo 'render-icons.sh: rsvg-convert is missing (apt-get install librsvg2-bin)' >&2
  exit 1
}
mkdir -p icons
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert --width "$size" --height "$size" --output "icons/${size}x${size}.png" "$svg"
done
cp icons/1024x1024.png icon.png
