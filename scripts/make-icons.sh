#!/usr/bin/env bash
# Renders assets/icon.svg into the PNG sizes and the .ico that installers need. The outputs are
# committed; run this again only when the SVG changes (needs ImageMagick).
set -euo pipefail
cd "$(dirname "$0")/../assets"
mkdir -p icons
for s in 16 24 32 48 64 128 256 512 1024; do
  convert -background none -density 384 icon.svg -resize ${s}x${s} "icons/${s}x${s}.png"
done
cp icons/1024x1024.png icon.png
convert icons/16x16.png icons/24x24.png icons/32x32.png icons/48x48.png icons/64x64.png icons/128x128.png icons/256x256.png icon.ico
