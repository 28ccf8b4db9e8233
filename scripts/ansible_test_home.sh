#!/usr/bin/env bash
# Prepare a HOME for ansible-test. ansible-test runs pip with an environment reduced to HOME and
# PATH, so the machine's PIP_CERT and friends are lost; and it downloads a get-pip bootstrap from
# a host this machine cannot reach. This HOME carries the machine's pip configuration plus its CA
# bundle, and a get-pip stand-in (scripts/ansible_test_get_pip.py) in ansible-test's cache.
set -euo pipefail
home=${1:?usage: ansible_test_home.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$home/.config/pip" "$home/.ansible/test/cache"
conf="$home/.config/pip/pip.conf"
if [ -f "$HOME/.config/pip/pip.conf" ] && [ "$home" != "$HOME" ]; then
  cp "$HOME/.config/pip/pip.conf" "$conf"
else
  printf '[global]\n' > "$conf"
fi
cert=${PIP_CERT:-${SSL_CERT_FILE:-}}
if [ -n "$cert" ] && [ -f "$cert" ] && ! grep -q '^cert' "$conf"; then
  printf 'cert = %s\n' "$cert" >> "$conf"
fi
for version in 24_2 25_0 25_1 25_2; do
  cp "$here/ansible_test_get_pip.py" "$home/.ansible/test/cache/get_pip_${version}.py"
done
