#!/bin/bash
# Written by goldmine: the state of a Slurm job for Snakemake.
# Usage: status.sh JOBID   (prints running, success or failed)
set -u
id=${1%%;*}
case $id in
'' | *[!0-9_]*)
	echo "status.sh: bad job id '$1'" >&2
	echo failed
	exit 0
	;;
esac
state() {
	case $1 in
	COMPLETED) echo success ;;
	PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | REQUEUE_FED | REQUEUE_HOLD | RESIZING | SIGNALING | STAGE_OUT | STOPPED | RESV_DEL_HOLD | SPECIAL_EXIT) echo running ;;
	*) echo failed ;;
	esac
}
if out=$(scontrol show job -o "$id" 2>&1); then
	st=$(printf '%s\n' "$out" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1)
	if [ -n "$st" ]; then
		state "$st"
		exit 0
	fi
fi
case $out in
*"Invalid job id"*) ;;
*)
	echo "status.sh: scontrol: $out" >&2
	echo running
	exit 0
	;;
esac
if st=$(sacct -n -X -P -j "$id" -o State 2>/dev/null | head -n 1) && [ -n "$st" ]; then
	state "${st%% *}"
	exit 0
fi
echo "status.sh: job $id is unknown to scontrol and sacct" >&2
echo failed
