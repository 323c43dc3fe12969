"""Drives a command through a pseudo-terminal, as a person at a keyboard would: waits for each prompt, then types.
argv: a JSON list of [text to wait for, keys to type], then the command. Prints everything the terminal showed."""
import fcntl, json, os, pty, select, struct, sys, termios, time

steps = json.loads(sys.argv[1])
command = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['COLUMNS'] = '80'
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 80, 0, 0))
seen = b''
position = 0


def read(timeout):
    global seen
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    seen += data
    return True


for wanted, keys in steps:
    deadline = time.time() + 60
    while seen.find(wanted.encode(), position) < 0:
        if time.time() > deadline or not read(0.5):
            sys.stdout.buffer.write(seen)
            sys.stderr.write(f'\n[tty-driver] never saw {wanted!r}\n')
            sys.exit(99)
    position = seen.find(wanted.encode(), position) + len(wanted)
    time.sleep(0.15)
    for key in keys:
        os.write(fd, key.encode())
        time.sleep(0.02)
while read(30):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status))
