#!/usr/bin/env bash
# Turns the release's signing secrets (present as environment variables, possibly empty) into the
# variables electron-builder reads, appended to $GITHUB_ENV; says plainly what is skipped and why.
# Usage: signing-env.sh linux|mac|win
set -euo pipefail
platform="${1:?usage: signing-env.sh linux|mac|win}"
env_file="${GITHUB_ENV:?GITHUB_ENV is not set}"

put() { printf '%s=%s\n' "$1" "$2" >>"$env_file"; }

case "$platform" in
  mac)
    if [ -n "${MACOS_CERTIFICATE:-}" ] && [ -n "${MACOS_CERTIFICATE_PASSWORD:-}" ]; then
      put CSC_LINK "$MACOS_CERTIFICATE"
      put CSC_KEY_PASSWORD "$MACOS_CERTIFICATE_PASSWORD"
      echo "macOS signing: on (Developer ID certificate from MACOS_CERTIFICATE)"
    else
      put CSC_IDENTITY_AUTO_DISCOVERY false
      echo "macOS signing skipped: the MACOS_CERTIFICATE and MACOS_CERTIFICATE_PASSWORD secrets are not set"
    fi
    if [ -n "${MACOS_CERTIFICATE:-}" ] && [ -n "${APPLE_ID_SECRET:-}" ] &&
      [ -n "${APPLE_APP_SPECIFIC_PASSWORD_SECRET:-}" ] && [ -n "${APPLE_TEAM_ID_SECRET:-}" ]; then
      put APPLE_ID "$APPLE_ID_SECRET"
      put APPLE_APP_SPECIFIC_PASSWORD "$APPLE_APP_SPECIFIC_PASSWORD_SECRET"
      put APPLE_TEAM_ID "$APPLE_TEAM_ID_SECRET"
      echo "macOS notarization: on (Apple ID from APPLE_ID)"
    else
      echo "macOS notarization skipped: it needs a signed app and the APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID secrets"
    fi
    ;;
  win)
    if [ -n "${WINDOWS_CERTIFICATE:-}" ] && [ -n "${WINDOWS_CERTIFICATE_PASSWORD:-}" ]; then
      put WIN_CSC_LINK "$WINDOWS_CERTIFICATE"
      put WIN_CSC_KEY_PASSWORD "$WINDOWS_CERTIFICATE_PASSWORD"
      echo "Windows signing: on (certificate from WINDOWS_CERTIFICATE)"
    else
      echo "Windows signing skipped: the WINDOWS_CERTIFICATE and WINDOWS_CERTIFICATE_PASSWORD secrets are not set"
    fi
    ;;
  linux)
    echo "Linux packages are not signed (AppImage and deb carry no signature here)"
    ;;
  *)
    echo "unknown platform: $platform" >&2
    exit 2
    ;;
esac
