#!/bin/sh
# Dropscope's deb/rpm after-install script (runs as root once the app is in /opt). It replaces
# electron-builder's default one, so it does what that one does (the app on PATH, Chromium's
# sandbox mode, the AppArmor profile, desktop and MIME databases) and adds Dropscope's own files:
# the dropscope command on PATH, the capture helper's polkit action and the trace MIME types.
# electron-builder fills in the two macros in braces (executable, sanitizedProductName) before it
# packs the script, and fails on any other braced name: write shell variables as $name.
# POSIX sh: rpm runs it with /bin/sh whatever the first line says.
set -e

app='/opt/${sanitizedProductName}'

# The desktop app and the command line (CLI and capture helper) on PATH.
ln -sf "$app/"'${executable}' '/usr/bin/${executable}'
ln -sf "$app/resources/bin/dropscope" /usr/bin/dropscope

# The capture helper's polkit action and the MIME types of perf.data and trace.dat.
mkdir -p /usr/share/polkit-1/actions /usr/share/mime/packages
cp -f "$app/resources/linux/dev.dropscope.capture.policy" /usr/share/polkit-1/actions/dev.dropscope.capture.policy
chmod 0644 /usr/share/polkit-1/actions/dev.dropscope.capture.policy
cp -f "$app/resources/linux/dropscope-mime.xml" /usr/share/mime/packages/dropscope.xml
chmod 0644 /usr/share/mime/packages/dropscope.xml

# Chromium's SUID sandbox helper only where unprivileged user namespaces do not work.
if [ -L /proc/self/ns/user ] && unshare --user true >/dev/null 2>&1; then
  chmod 0755 "$app/chrome-sandbox" || true
else
  chmod 4755 "$app/chrome-sandbox" || true
fi

if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database /usr/share/mime || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database /usr/share/applications || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi

# AppArmor profile allowing user namespaces (Ubuntu 24.04 and later restrict them), installed only
# where the running AppArmor understands it (abi/4.0), as electron-builder's default script does.
if apparmor_status --enabled >/dev/null 2>&1; then
  profile_source="$app/resources/apparmor-profile"
  profile_target='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$profile_source" >/dev/null 2>&1; then
    cp -f "$profile_source" "$profile_target"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && command -v apparmor_parser >/dev/null 2>&1; then
      apparmor_parser --replace --write-cache --skip-read-cache "$profile_target" || true
    fi
  else
    echo 'Dropscope: skipping the AppArmor profile, which this AppArmor version does not support'
  fi
fi

exit 0
