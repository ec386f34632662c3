"""How the PyTorch peers time a step: over a window of seconds, as JMH does, or over a count of steps.

JMH measures Gradus's side for seconds (OptimizerBench: 5 iterations of 2 s; LeNetBench: 5 of
2 s), and on a shared host whose speed changes for seconds at a time a peer that times a second or
less samples one moment where JMH samples ten seconds
(bench/results/2026-12-05-streaming-window-zen5: timing 20 steps put PyTorch's SGD step 16% slower
than timing 10 s in the same rounds). So by default a peer runs its step untimed for a fifth of the
window and then times every step of the window (at least a floor of steps); --steps N keeps the
protocol of the sets before 2026-12-05 (a few untimed steps, then N timed).

A peer script imports this from its own folder:

    from step_window import add_window_arguments, check_window_arguments, time_steps
"""
import time


def add_window_arguments(parser, seconds=10.0):
    """Adds the mutually exclusive --seconds S (default `seconds`) and --steps N to an argparse parser."""
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--seconds", type=float, default=seconds,
                        help="time every step for this many seconds, after a fifth of that untimed "
                             "(default %g)" % seconds)
    window.add_argument("--steps", type=int, default=None,
                        help="time this many steps, after a few untimed, instead of a window of seconds")


def check_window_arguments(parser, args):
    """Rejects a non-positive window through parser.error, naming the value and what was expected."""
    if args.steps is not None and args.steps < 1:
        parser.error("--steps %d: expected at least 1 step" % args.steps)
    if args.steps is None and not args.seconds > 0:
        parser.error("--seconds %s: expected a positive number of seconds" % args.seconds)


def time_steps(step, args, untimed_steps, min_steps=20):
    """The sorted times of step() in milliseconds over the window the arguments chose.

    With --steps N: `untimed_steps` calls untimed, then N timed. Otherwise: calls untimed for
    args.seconds / 5, then every call of the next args.seconds timed, and at least `min_steps`.
    """
    if args.steps is not None:
        for _ in range(untimed_steps):
            step()
        reps, end = args.steps, None
    else:
        warm_until = time.perf_counter() + args.seconds / 5
        while time.perf_counter() < warm_until:
            step()
        reps, end = min_steps, time.perf_counter() + args.seconds
    times = []
    while len(times) < reps or (end is not None and time.perf_counter() < end):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times
