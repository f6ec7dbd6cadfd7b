#!/bin/sh
# harmonix demo [DIR]: the autonomy controller's job end to end on a small fleet with known problems.
#
# Makes DIR (default: a new folder under $TMPDIR) with
#   repos/shop, repos/vault, repos/web  git repositories made from examples/demo-fleet/repos with the git CLI
#   home/   a runtime home of the demo's own: etc/ (the fleet manifest, the controller's settings and policies of
#           examples/demo-fleet/etc, the installation's runtime settings), deploy/, and links to the installation's
#           system/, lib/ and examples/
#   data/   the demo runtime's data (embedded Derby, the backlog ledger, the run document) and log/
# then runs the runtime once over it: the sample advisories, the fleet's discovery, one controller run (SENSE scans
# each repository with the security and quality agents, THINK, ACT, VERIFY, SHIP, LEARN), the ledger, the change
# requests and what became of each main branch. The installation's own etc/ and data/ are never read nor written.
# Called by bin/harmonix as: demo.sh INSTALLATION [DIR]
set -e
install=$1
shift
if [ $# -gt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
    echo "usage: harmonix demo [DIR]   (DIR: a new or empty folder; default: a new folder under \${TMPDIR:-/tmp})"
    exit 2
fi
if [ -n "$1" ]; then
    dir=$1
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
        echo "harmonix demo: $dir is not empty: give a new or empty folder" >&2
        exit 2
    fi
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/harmonix-demo.XXXXXX")
fi
dir=$(cd "$dir" && pwd)
case $dir in
    *'"'*|*'\'*) echo "harmonix demo: $dir: the fleet manifest cannot name a folder with \" or \\ in it" >&2; exit 2 ;;
esac
# (bubblewrap is not checked here: without it the sandbox falls back to unshare, and says so if nothing isolates)
if ! command -v git > /dev/null; then
    echo "harmonix demo: git is not installed (Debian package git): the demo makes its repositories with it" >&2
    exit 1
fi
fleet="$install/examples/demo-fleet"
# the demo's git runs with no configuration of the user's (signing, hooks, templates), for its commits and the bot's
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
started=$(date +%s)
step() {
    echo
    echo "== [demo $(($(date +%s) - started)) s] $*"
}

step "the demo fleet in $dir/repos"
mkdir -p "$dir/repos"
for repo in shop vault web; do
    cp -R "$fleet/repos/$repo" "$dir/repos/$repo"
done
# The planted secret is written here, not shipped as a file: a token pattern in the installation's files would make
# every secret scanner of the installation (and of this project's sources) report the demo instead of real leaks.
printf 'github.url=https://api.github.com\ngithub.token=%s%s\n' "ghp_R7tQ2mZx9LpW4vN" "c8KjB3sHd6FyG1aUe5XoI" \
    > "$dir/repos/vault/config.properties"
for repo in shop vault web; do
    git -C "$dir/repos/$repo" init -q -b main
    git -C "$dir/repos/$repo" add -A
    git -C "$dir/repos/$repo" -c user.name='Ada Lovelace' -c user.email=ada@example.org commit -q -m "$repo: initial"
    # main checked out in no working tree: the controller never moves a branch a person has checked out
    git -C "$dir/repos/$repo" checkout -q --detach
done
echo "  shop   a failing test (AppTest); the fix is a task of its .harmonix/tasks.json, low risk by the demo's rules"
echo "  vault  a GitHub token committed in config.properties; a method parameter it never uses (for the quality agent)"
echo "  web    log4j-core 2.14.1 (Log4Shell); a task whose upgrade patch forgets deps.lock, so its test fails"

step "the demo runtime's home in $dir/home (the installation's etc/ and data/ are left alone)"
home="$dir/home"
mkdir -p "$home/etc" "$home/deploy"
for link in system lib examples; do
    ln -s "$install/$link" "$home/$link"
done
# the runtime's own settings (storage, index, runner, sandbox) as installed; nothing that names repositories, peers
# or secrets of the user's
for f in harmonix.properties io.harmonix.store.cfg io.harmonix.index.cfg io.harmonix.runner.cfg \
        io.harmonix.fleet.sandbox.cfg; do
    if [ -f "$install/etc/$f" ]; then
        cp "$install/etc/$f" "$home/etc/$f"
    fi
done
cp "$fleet/etc/"* "$home/etc/"
{
    echo '{"repositories": ['
    sep=
    for repo in shop vault web; do
        printf '%s  {"name": "%s", "path": "%s", "language": "shell",' "$sep" "$repo" "$dir/repos/$repo"
        printf ' "build_command": "sh build.sh", "test_command": "sh test.sh"}'
        sep=",
"
    done
    printf '\n]}\n'
} > "$home/etc/repositories.json"
echo "  etc/repositories.json (the fleet), io.harmonix.autonomy.config (toggles, scoring rules), autonomy-policies.yaml"

harmonix() {
    HARMONIX_HOME="$home" "$install/bin/harmonix" --data "$dir/data" exec "$1"
}
for repo in shop vault web; do
    eval "before_$repo=$(git -C "$dir/repos/$repo" rev-parse refs/heads/main)"
done
step "the runtime: sample advisories, the fleet's discovery, one controller run (SENSE scans each repository)"
harmonix 'enhance:advisories import examples/advisories; repo:discover; autonomy:run'
document=$(ls "$dir"/data/runs/run-*.md)

step "the findings and how THINK scored them (from the run's record, $document)"
sed -n '/^## SENSE/,/^## ACT/p' "$document" | sed '$d'

step "the backlog ledger and the change requests"
changes=$(sed -n '/^## VERIFY/,/^## SHIP/p' "$document" | sed -n 's/^| \([0-9][0-9]*\) |.*/\1/p')
commands="ledger:validate; ledger:list; change:list"
for id in $changes; do
    commands="$commands; change:show $id"
done
harmonix "$commands" > "$dir/changes.txt" 2>&1 || { cat "$dir/changes.txt"; exit 1; }
cat "$dir/changes.txt"
red=$(sed -n 's/.*: red on .*(check #\([0-9][0-9]*\)).*/\1/p' "$dir/changes.txt")
if [ -n "$red" ]; then
    step "why: the log of each red check"
    commands=
    for id in $red; do
        commands="$commands${commands:+; }repo:check $id"
    done
    harmonix "$commands"
fi

step "main of each repository"
for repo in shop vault web; do
    eval "before=\$before_$repo"
    after=$(git -C "$dir/repos/$repo" rev-parse refs/heads/main)
    if [ "$before" = "$after" ]; then
        echo "  $repo: unchanged at $(git -C "$dir/repos/$repo" log -1 --format='%h %s' "$after")"
    elif [ "$(git -C "$dir/repos/$repo" rev-parse "$after^")" = "$before" ]; then
        echo "  $repo: moved by fast-forward from $(git -C "$dir/repos/$repo" rev-parse --short "$before") to" \
            "$(git -C "$dir/repos/$repo" rev-parse --short "$after"), the commit:"
        git -C "$dir/repos/$repo" log -1 --format='%an <%ae>%n%n%B' "$after" | sed 's/^/    /'
    else
        echo "  $repo: moved to $after"
    fi
done

step "done: the run's record is $document; the folder $dir can be removed"
