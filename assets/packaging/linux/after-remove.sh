#!/bin/sh
# Dropscope's deb/rpm after-remove script (runs as root): removes what after-install.sh added.
# On an upgrade the old package's script runs too (deb: "upgrade"; rpm: a count of 1 or more,
# after the new package's after-install), so it then leaves everything in place.
# electron-builder fills in the braced macros as in after-install.sh. POSIX sh.
set -e

case "${1:-remove}" in
  upgrade | failed-upgrade | abort-upgrade | [1-9]*) exit 0 ;;
esac

rm -f '/usr/bin/${executable}' /usr/bin/dropscope
rm -f /usr/share/polkit-1/actions/dev.dropscope.capture.policy
rm -f /usr/share/mime/packages/dropscope.xml

if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database /usr/share/mime || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database /usr/share/applications || true
fi

profile_target='/etc/apparmor.d/${executable}'
if [ -f "$profile_target" ]; then
  if apparmor_status --enabled >/dev/null 2>&1; then
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && command -v apparmor_parser >/dev/null 2>&1; then
      apparmor_parser --remove "$profile_target" || true
    fi
  fi
  rm -f "$profile_target"
fi

exit 0
