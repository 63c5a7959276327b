#!/usr/bin/env bash
# TEST AID, not a product image. Makes a Java 17 base image for the operator image out of this
# machine's Debian JRE (openjdk-17-jre-headless), for machines where the distroless base cannot be
# pulled: its files, their shared-library closure (ldd) and the dynamic loader, the JRE's /etc
# configuration and Java CA certificates, a nonroot user 65532, /tmp. Written in `docker save`
# format, which Jib takes as a base:
#
#   deploy/e2e/jre17-base.sh /tmp/jre17-base.tar
#   mvn -B -pl operator -am package -Pimage -DskipTests -Djib.from.image=tar:///tmp/jre17-base.tar
#
# Reproducible for one set of installed packages (sorted entries, fixed times, numeric owners).
set -euo pipefail
out=${1:?usage: jre17-base.sh OUT.tar}
out=$(realpath -m "$out")
package=openjdk-17-jre-headless
java_home=/usr/lib/jvm/java-17-openjdk-amd64
dpkg -s "$package" >/dev/null 2>&1 || { echo "needs $package (apt-get install -y $package)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 1; }

work=$(mktemp -d /tmp/jre17-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root/usr"
# Debian 12 merges /usr: /lib, /lib64, /bin, /sbin are symlinks into it. Recreate them first, so
# that a library named by its /lib path lands beside its /usr/lib target and relative links hold.
for link in /lib /lib64 /bin /sbin; do
  if [ -L "$link" ]; then cp -P "$link" "$root$link"; mkdir -p "$root/usr/$(basename "$(readlink "$link")")"; fi
done

# copy PATH into the rootfs as it is (a symlink stays a symlink, and its target comes too)
copy() {
  local path=$1
  [ -e "$path" ] || [ -L "$path" ] || return 0
  [ -e "$root$path" ] || [ -L "$root$path" ] && return 0
  mkdir -p "$root$(dirname "$path")"
  if [ -L "$path" ]; then
    cp -P "$path" "$root$path"
    local target
    target=$(readlink -f "$path")
    [ -n "$target" ] && copy "$target"
  elif [ -d "$path" ]; then
    mkdir -p "$root$path"
  else
    cp -p "$path" "$root$path"
  fi
}

# the JRE's own files
while read -r path; do
  [ -d "$path" ] && [ ! -L "$path" ] && continue
  copy "$path"
done < <(dpkg -L "$package")
copy /etc/ssl/certs/java/cacerts
copy /etc/ssl/certs/ca-certificates.crt

# the shared-library closure of every executable and library of the JRE, and the loader
while read -r lib; do
  copy "$lib"
done < <(find "$java_home/" -type f \( -name '*.so' -o -perm -u+x \) -print0 |
  xargs -0 ldd 2>/dev/null | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | sort -u)
copy /lib64/ld-linux-x86-64.so.2

mkdir -p "$root/tmp" "$root/home/nonroot"
chmod 1777 "$root/tmp"
mkdir -p "$root/etc"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
chown 65532:65532 "$root/home/nonroot"

python3 - "$root" "$out" "$java_home" <<'PY'
import hashlib, io, json, os, sys, tarfile
root, out, java_home = sys.argv[1], sys.argv[2], sys.argv[3]

def entries():
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            yield os.path.join(dirpath, name)

layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
    for path in sorted(entries()):
        info = tar.gettarinfo(path, arcname=os.path.relpath(path, root))
        info.mtime = 0
        info.uname = info.gname = ""
        if info.isfile():
            with open(path, "rb") as f:
                tar.addfile(info, f)
        else:
            tar.addfile(info)
layer_bytes = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "User": "65532:65532",
        "Env": [
            "PATH=" + java_home + "/bin:/usr/local/bin:/usr/bin:/bin",
            "JAVA_HOME=" + java_home,
            "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        ],
        "WorkingDir": "/home/nonroot",
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "deploy/e2e/jre17-base.sh (test aid: Debian openjdk-17-jre-headless)"}],
}
config_bytes = json.dumps(config, sort_keys=True).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = [{"Config": config_name, "RepoTags": ["tinystatic/jre17-base:test"], "Layers": ["layer.tar"]}]
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
    for name, data in [(config_name, config_bytes), ("layer.tar", layer_bytes),
                       ("manifest.json", json.dumps(manifest).encode())]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(data))
print(f"{out}: {os.path.getsize(out):,} bytes (layer {diff_id})")
PY
