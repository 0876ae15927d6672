// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include "core/replicate/poller.h"

using namespace brieflow;
using namespace std::chrono_literals;

namespace {

/** A MonotonicClock that only moves when the test says so. (tests/support's FakeClock is a
 *  ProviderClock: wall-clock time and delayed actions, not a monotonic now().) */
class ManualClock final : public MonotonicClock {
public:
    TimePoint now() const override { return m_now; }
    void advance(std::chrono::milliseconds d) { m_now += d; }
    void set(std::chrono::milliseconds sinceStart) { m_now = TimePoint{} + sinceStart; }

private:
    TimePoint m_now{};
};

qint64 ms(std::optional<Poller::TimePoint> t)
{
    return t ? std::chrono::duration_cast<std::chrono::milliseconds>(*t - Poller::TimePoint{})
                   .count()
             : -1;
}

QStringList ids(const QSignalSpy &spy)
{
    QStringList result;
    for (const QList<QVariant> &args : spy)
        result << args.at(0).toString();
    return result;
}

} // namespace

class TestPoller : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void armsOneTimerForTheNextDuePoll();
    void emitsOnlyWhatIsDue();
    void receiversMayAnswerInsideTheSignal();
    void pauseDelaysEveryone();
    void idleWhenNothingIsWatched();
    void firesOnRealTime();
};

void TestPoller::armsOneTimerForTheNextDuePoll()
{
    ManualClock clock;
    Poller poller(clock);
    QSignalSpy due(&poller, &Poller::pollDue);
    QCOMPARE(poller.armedFor(), std::nullopt);

    poller.add(QStringLiteral("a")); // created at 0: first poll at 500 ms
    QCOMPARE(ms(poller.armedFor()), 500);
    clock.set(200ms);
    poller.add(QStringLiteral("b"), 10s); // created at 200 ms
    QCOMPARE(ms(poller.armedFor()), 500); // still a's poll first

    clock.set(500ms);
    poller.processDue();
    QCOMPARE(ids(due), QStringList{QStringLiteral("a")});
    // a is in flight until answered; b is next, at 700 ms.
    QCOMPARE(ms(poller.armedFor()), 700);
    poller.markPolled(QStringLiteral("a"));
    QCOMPARE(ms(poller.armedFor()), 700); // a's next poll (0.5 s after creation + 0.25 s) is later
    clock.set(700ms);
    poller.processDue();
    QCOMPARE(ids(due), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TestPoller::emitsOnlyWhatIsDue()
{
    ManualClock clock;
    Poller poller(clock);
    QSignalSpy due(&poller, &Poller::pollDue);
    poller.add(QStringLiteral("a"));
    clock.set(499ms);
    poller.processDue(); // a timer firing a little early finds nothing and re-arms
    QCOMPARE(due.count(), 0);
    QCOMPARE(ms(poller.armedFor()), 500);
    clock.set(2000ms);
    poller.processDue();
    QCOMPARE(due.count(), 1);
    poller.processDue(); // in flight: not emitted again
    QCOMPARE(due.count(), 1);
    poller.remove(QStringLiteral("a"));
    QCOMPARE(poller.armedFor(), std::nullopt);
}

void TestPoller::receiversMayAnswerInsideTheSignal()
{
    ManualClock clock;
    Poller poller(clock);
    QStringList polled;
    // A client that answers synchronously (a cached response, a test double).
    connect(&poller, &Poller::pollDue, this, [&](const QString &id) {
        polled << id;
        if (id == QLatin1String("done"))
            poller.remove(id);
        else
            poller.markPolled(id);
    });
    poller.add(QStringLiteral("done"));
    poller.add(QStringLiteral("running"));
    clock.set(500ms);
    poller.processDue();
    QCOMPARE(polled, (QStringList{QStringLiteral("done"), QStringLiteral("running")}));
    QVERIFY(!poller.scheduler().contains(QStringLiteral("done")));
    QCOMPARE(ms(poller.armedFor()), 750); // running's next poll, armed after the emission
}

void TestPoller::pauseDelaysEveryone()
{
    ManualClock clock;
    Poller poller(clock);
    QSignalSpy due(&poller, &Poller::pollDue);
    poller.add(QStringLiteral("a"));
    poller.add(QStringLiteral("b"));
    clock.set(100ms);
    poller.pauseFor(10s); // a 429 said Retry-After: 10
    QCOMPARE(ms(poller.armedFor()), 10'100);
    clock.set(5000ms);
    poller.processDue();
    QCOMPARE(due.count(), 0);
    clock.set(10'100ms);
    poller.processDue();
    QCOMPARE(due.count(), 2);
}

void TestPoller::idleWhenNothingIsWatched()
{
    ManualClock clock;
    Poller poller(clock);
    poller.processDue();
    QCOMPARE(poller.armedFor(), std::nullopt);
    poller.add(QStringLiteral("a"));
    poller.noteExternalUpdate(QStringLiteral("a")); // webhooks work: only the safety net
    QCOMPARE(ms(poller.armedFor()), 15'000);
    poller.setBudget(1, 1);
    poller.setExpected(QStringLiteral("a"), 2s);
    QCOMPARE(ms(poller.armedFor()), 15'000); // safety-net mode sticks once webhooks are seen
}

void TestPoller::firesOnRealTime()
{
    PollPolicy policy;
    policy.firstPoll = 60ms;
    policy.minInterval = 50ms;
    Poller poller(SteadyClock::instance(), policy);
    QSignalSpy due(&poller, &Poller::pollDue);
    QElapsedTimer elapsed;
    elapsed.start();
    poller.add(QStringLiteral("a"));
    QVERIFY(due.wait(5000));
    QVERIFY2(elapsed.elapsed() >= 55, qPrintable(QString::number(elapsed.elapsed())));
    QCOMPARE(ids(due), QStringList{QStringLiteral("a")});
    poller.markPolled(QStringLiteral("a"));
    QVERIFY(due.wait(5000)); // and again after the answer, by itself
    QCOMPARE(due.count(), 2);
}

QTEST_GUILESS_MAIN(TestPoller)
#include "tst_poller.moc"
