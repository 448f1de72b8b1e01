# pyb.Timer on the virtual pyboard: registers as the pyboard computes them, callbacks on the
# clock (each stops itself, so the output does not depend on timing).
import time
from pyb import Timer, Pin

tim = Timer(4)
print(tim, tim is Timer(4))
tim.init(freq=10)
print(tim)
print(tim.prescaler(), tim.period(), tim.freq(), tim.source_freq())
print(Timer(1, freq=1000))
print(Timer(5, period=1500, tick_hz=1000).freq())
tim.freq(0.5)
print(tim.prescaler(), tim.period(), tim.freq())
c = tim.counter()
print(0 <= c <= tim.period())

for f in (lambda: Timer(15), lambda: Timer(4, freq=0), lambda: Timer(4).init(),
          lambda: Timer(4).channel(1, Timer.PWM, pin=Pin('X1')),
          lambda: Timer(6).channel(1, Timer.PWM)):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)


def wait(cond):
    n = 0
    while not cond() and n < 2000:
        time.sleep_ms(1)
        n += 1


# Channels on the simulated timers: a PWM output on X1 (timer 5's channel 1), and an output
# compare whose callback stops itself.
t5 = Timer(5, freq=1000)
ch = t5.channel(1, Timer.PWM, pin=Pin('X1'), pulse_width_percent=25)
print(ch, ch.pulse_width(), ch.pulse_width_percent(), t5.channel(1) is ch)
t5.deinit()
hits = []
oc = Timer(3, freq=100).channel(1, Timer.OC_TOGGLE, compare=100,
                                callback=lambda t: (hits.append(t), oc.callback(None)))
wait(lambda: hits)
print(len(hits), hits[0] is Timer(3))
Timer(3).deinit()


# The tutorial's blinking timer, stopped after three calls.
calls = []


def tick(t):
    calls.append(t is tim)
    if len(calls) == 3:
        t.callback(None)


tim = Timer(4, freq=200)
tim.callback(tick)
wait(lambda: len(calls) == 3)
print(calls)

# deinit in the callback.
done = []
t2 = Timer(2, freq=100, callback=lambda t: (done.append(1), t.deinit()))
wait(lambda: done)
print(done, t2)


# An exception disables the callback; the timer goes on counting.
def bad(t):
    calls.append('bad')
    raise ValueError('boom')


tim.callback(bad)
wait(lambda: 'bad' in calls)
time.sleep_ms(20)
print(calls.count('bad'), tim.freq())
tim.deinit()
print(tim)
