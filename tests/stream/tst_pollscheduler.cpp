// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QHash>
#include <QTest>

#include "core/replicate/pollscheduler.h"
#include "core/replicate/pollsimulation.h"

using namespace brieflow;
using namespace std::chrono_literals;
using TimePoint = PollScheduler::TimePoint;

namespace {

TimePoint at(qint64 ms)
{
    return TimePoint{} + std::chrono::milliseconds(ms);
}

qint64 ms(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - TimePoint{}).count();
}

/** Polls one prediction that never finishes (or finishes at finishMs) from 0 to untilMs,
 *  stepping 1 ms; returns the poll times in ms. */
QList<qint64> pollTimes(PollScheduler &s, const QString &id, qint64 untilMs, qint64 finishMs = -1)
{
    QList<qint64> times;
    for (qint64 t = 0; t <= untilMs; ++t) {
        if (const auto due = s.takeDue(at(t))) {
            Q_ASSERT(*due == id);
            times << t;
            if (finishMs >= 0 && t >= finishMs) {
                s.remove(id);
                break;
            }
            s.markPolled(id, at(t));
        }
    }
    return times;
}

QList<qint64> gaps(const QList<qint64> &times)
{
    QList<qint64> result;
    for (qsizetype i = 1; i < times.size(); ++i)
        result << times[i] - times[i - 1];
    return result;
}

void report(const char *label, const PollSimulationResult &r, const PollSimulationResult &peer)
{
    qInfo("%s: %lld predictions, lag p50 %.0f ms p95 %.0f ms max %.0f ms, %.1f GET/prediction "
          "(fixed 0.5 s peer: lag p50 %.0f ms, %.1f GET/prediction), max %lld GET in any 1 s",
          label, static_cast<long long>(r.predictions), r.lagP50Ms, r.lagP95Ms, r.lagMaxMs,
          r.getsPerPrediction, peer.lagP50Ms, peer.getsPerPrediction,
          static_cast<long long>(r.maxGetsInAnySecond));
}

PollSimulationResult peerOf(PollSimulationConfig config)
{
    config.fixedInterval = 500ms;
    return simulatePolling(config);
}

} // namespace

class TestPollScheduler : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void firstPollSoonAfterCreation();
    void blindPollingBacksOff();
    void expectationTightensAroundFinish();
    void statusChangeRestartsBackoff();
    void setExpectedReanchors();
    void inFlightIsNotOfferedTwice();
    void burstThenSlidingSecondCap();
    void lowBudgetIsHonoured();
    void retryAfterPausesEveryone();
    void noStarvationUnderOverload();
    void webhookMakesPollingTheSafetyNet();
    void unknownIdsAreIgnored();
    void tenMinutesAtHundredActive();
    void fewActiveAreFastAndCheap_data();
    void fewActiveAreFastAndCheap();
    void simulationIsDeterministic();
};

void TestPollScheduler::firstPollSoonAfterCreation()
{
    PollScheduler s;
    QCOMPARE(s.nextWakeUp(at(0)), std::nullopt);
    s.add(QStringLiteral("a"), at(1000));
    QCOMPARE(ms(*s.dueAt(QStringLiteral("a"))), 1500);
    QCOMPARE(ms(*s.nextWakeUp(at(1000))), 1500);
    QCOMPARE(s.takeDue(at(1499)), std::nullopt);
    QCOMPARE(s.takeDue(at(1500)), std::optional<QString>(QStringLiteral("a")));
    QCOMPARE(s.takeDue(at(1500)), std::nullopt);
    QCOMPARE(s.size(), 1);
}

void TestPollScheduler::blindPollingBacksOff()
{
    PollScheduler s;
    s.add(QStringLiteral("a"), at(0));
    const QList<qint64> times = pollTimes(s, QStringLiteral("a"), 120'000);
    QCOMPARE(times.first(), 500);
    const QList<qint64> intervals = gaps(times);
    for (qsizetype i = 0; i < intervals.size(); ++i) {
        QVERIFY2(intervals[i] >= 250 && intervals[i] <= 5000, qPrintable(QString::number(i)));
        if (i > 0)
            QVERIFY(intervals[i] >= intervals[i - 1]); // never tightens without a reason
    }
    QCOMPARE(intervals.last(), 5000);
    QVERIFY(intervals.first() <= 300);
    // Roughly: 0.15 × age, so ~25 polls for the first minute instead of a fixed poller's 120.
    QVERIFY2(times.size() < 50, qPrintable(QString::number(times.size())));
}

void TestPollScheduler::expectationTightensAroundFinish()
{
    PollScheduler s;
    s.add(QStringLiteral("a"), at(0), 20s); // finish window 20 s ± 12 % = [17.6 s, 22.4 s]
    const QList<qint64> times = pollTimes(s, QStringLiteral("a"), 70'000);
    QVERIFY(times.contains(17'600)); // lands on the window's start, never jumps over it
    const qsizetype before =
        std::count_if(times.begin(), times.end(), [](qint64 t) { return t < 17'600; });
    QVERIFY2(before <= 10, qPrintable(QString::number(before)));
    for (qsizetype i = 1; i < times.size(); ++i) {
        const qint64 gap = times[i] - times[i - 1];
        if (times[i - 1] >= 17'600 && times[i] <= 22'400)
            QCOMPARE(gap, 250);
        if (times[i - 1] < 10'000 && times[i] < 17'600)
            QVERIFY2(gap >= 500, qPrintable(QString::number(times[i])));
    }
    // Past the window (the estimate was wrong) it backs off again, up to the cap.
    const QList<qint64> intervals = gaps(times);
    for (qsizetype i = 1; i < intervals.size(); ++i) {
        if (times[i] > 22'400)
            QVERIFY(intervals[i] >= intervals[i - 1]);
    }
    QCOMPARE(intervals.last(), 5000);
}

void TestPollScheduler::statusChangeRestartsBackoff()
{
    PollScheduler s;
    s.add(QStringLiteral("a"), at(0));
    for (qint64 t : {500, 30'000}) {
        QVERIFY(s.takeDue(at(t)));
        s.markPolled(QStringLiteral("a"), at(t));
    }
    QCOMPARE(ms(*s.dueAt(QStringLiteral("a"))), 30'000 + 4500); // 0.15 × 30 s
    QVERIFY(s.takeDue(at(34'500)));
    s.markPolled(QStringLiteral("a"), at(34'500), /*statusChanged=*/true);
    QCOMPARE(ms(*s.dueAt(QStringLiteral("a"))), 34'750); // watched closely again
}

void TestPollScheduler::setExpectedReanchors()
{
    PollScheduler s;
    s.add(QStringLiteral("a"), at(0));
    QVERIFY(s.takeDue(at(500)));
    s.markPolled(QStringLiteral("a"), at(10'000)); // due at 11.5 s by the blind backoff
    QCOMPARE(ms(*s.dueAt(QStringLiteral("a"))), 11'500);
    // It started processing at 10 s; this model usually takes 1 s: window [10.5 s, 11.5 s].
    s.setExpected(QStringLiteral("a"), at(10'000), 1s);
    QCOMPARE(ms(*s.dueAt(QStringLiteral("a"))), 10'500);
}

void TestPollScheduler::inFlightIsNotOfferedTwice()
{
    PollPolicy policy;
    policy.inFlightTimeout = 20s;
    PollScheduler s(policy);
    s.add(QStringLiteral("a"), at(0));
    QVERIFY(s.takeDue(at(500)));
    QCOMPARE(s.takeDue(at(5000)), std::nullopt);
    // An answer that never came back is retried after the timeout, not forgotten.
    QCOMPARE(ms(*s.nextWakeUp(at(5000))), 20'500);
    QCOMPARE(s.takeDue(at(20'500)), std::optional<QString>(QStringLiteral("a")));
    s.remove(QStringLiteral("a"));
    QCOMPARE(s.nextWakeUp(at(20'500)), std::nullopt);
}

void TestPollScheduler::burstThenSlidingSecondCap()
{
    PollScheduler s; // 40/s, burst 8
    for (int i = 0; i < 100; ++i)
        s.add(QStringLiteral("p%1").arg(i, 3, 10, QLatin1Char('0')), at(0));
    QCOMPARE(s.takeAllDue(at(500)).size(), PollScheduler::DefaultBurst);
    QCOMPARE(ms(*s.nextWakeUp(at(500))), 525);

    std::vector<TimePoint> sends(PollScheduler::DefaultBurst, at(500));
    for (qint64 t = 501; t < 3500; ++t) {
        const QStringList ids = s.takeAllDue(at(t));
        for (qsizetype i = 0; i < ids.size(); ++i)
            sends.push_back(at(t));
        if (!ids.isEmpty()) {
            const auto wake = s.nextWakeUp(at(t));
            QVERIFY(wake && *wake > at(t));
        }
    }
    QCOMPARE(maxInAnyWindow(sends, 1s), 40);
    // The first second after the burst is full: 8 + 32 more, then a wait for the window.
    const auto inFirstSecond =
        std::count_if(sends.begin(), sends.end(), [](TimePoint t) { return t < at(1500); });
    QCOMPARE(inFirstSecond, 40);
}

void TestPollScheduler::lowBudgetIsHonoured()
{
    // Low-credit accounts get 1 request/s: the same scheduler, a different budget.
    PollSimulationConfig config;
    config.active = 10;
    config.runFor = 2min;
    config.perSecond = 1;
    config.burst = 1;
    const PollSimulationResult r = simulatePolling(config);
    QCOMPARE(r.maxGetsInAnySecond, 1);
    QCOMPARE(r.noticed, r.predictions);
    QCOMPARE(r.stalls, 0);
}

void TestPollScheduler::retryAfterPausesEveryone()
{
    PollScheduler s;
    for (int i = 0; i < 20; ++i)
        s.add(QStringLiteral("p%1").arg(i), at(0));
    s.setPaused(at(10'000)); // a 429 with Retry-After: 10
    s.setPaused(at(3000));   // a shorter, later 429 does not shorten it
    for (qint64 t = 0; t < 10'000; t += 7)
        QCOMPARE(s.takeDue(at(t)), std::nullopt);
    QCOMPARE(ms(*s.nextWakeUp(at(9000))), 10'000);
    // Afterwards the backlog drains within the budget: a burst, then paced.
    QCOMPARE(s.takeAllDue(at(10'000)).size(), PollScheduler::DefaultBurst);
    QCOMPARE(s.takeAllDue(at(10'010)).size(), 0);
    QCOMPARE(s.takeAllDue(at(10'025)).size(), 1);

    // A pause in the middle of a simulated run: nothing is sent inside it.
    PollScheduler busy;
    QList<qint64> sends;
    for (int i = 0; i < 30; ++i)
        busy.add(QStringLiteral("q%1").arg(i), at(i * 100), 8s);
    for (qint64 t = 0; t < 60'000; ++t) {
        if (t == 5000)
            busy.setPaused(at(12'000));
        for (const QString &id : busy.takeAllDue(at(t))) {
            sends << t;
            busy.markPolled(id, at(t));
        }
    }
    QVERIFY(
        std::none_of(sends.begin(), sends.end(), [](qint64 t) { return t >= 5000 && t < 12'000; }));
    QVERIFY(std::count(sends.begin(), sends.end(), 12'000) > 0);
}

void TestPollScheduler::noStarvationUnderOverload()
{
    // 200 predictions against 10 GET/s, some of them inside a tight finish window: demand is
    // far above the budget. Earliest-due-first bounds everyone's lateness by about N / rate.
    PollScheduler s;
    s.setBudget(10, 1);
    constexpr int count = 200;
    QHash<QString, qint64> due;
    QHash<QString, qint64> lastPoll;
    for (int i = 0; i < count; ++i) {
        const QString id = QStringLiteral("p%1").arg(i, 3, 10, QLatin1Char('0'));
        s.add(id, at(0), i % 3 == 0 ? std::optional<std::chrono::milliseconds>(2s) : std::nullopt);
        due.insert(id, ms(*s.dueAt(id)));
    }
    qint64 maxLateness = 0;
    qint64 maxGap = 0;
    std::vector<TimePoint> sends;
    for (qint64 t = 0; t <= 180'000; ++t) {
        for (const QString &id : s.takeAllDue(at(t))) {
            sends.push_back(at(t));
            maxLateness = std::max(maxLateness, t - due.value(id));
            if (lastPoll.contains(id))
                maxGap = std::max(maxGap, t - lastPoll.value(id));
            lastPoll.insert(id, t);
            s.markPolled(id, at(t));
            due.insert(id, ms(*s.dueAt(id)));
        }
    }
    QCOMPARE(lastPoll.size(), count); // everyone was polled
    qInfo("overload: max lateness %lld ms, longest gap between polls %lld ms, load factor %.2f",
          static_cast<long long>(maxLateness), static_cast<long long>(maxGap), s.loadFactor());
    const qint64 bound = count * 100 + 100; // N / rate, plus one emission interval
    QVERIFY2(maxLateness <= bound, qPrintable(QString::number(maxLateness)));
    QVERIFY2(maxGap <= 5000 + bound, qPrintable(QString::number(maxGap)));
    QCOMPARE(maxInAnyWindow(sends, 1s), 10);
}

void TestPollScheduler::webhookMakesPollingTheSafetyNet()
{
    PollScheduler s;
    s.add(QStringLiteral("a"), at(0), 30s);
    QVERIFY(s.takeDue(at(500)));
    s.markPolled(QStringLiteral("a"), at(500));
    s.noteExternalUpdate(QStringLiteral("a"), at(1000)); // webhook "start" arrived
    QCOMPARE(ms(*s.dueAt(QStringLiteral("a"))), 16'000);

    // The "completed" webhook at 40 s is dropped: a safety-net poll still notices it.
    const qint64 finish = 40'000;
    const QList<qint64> times = pollTimes(s, QStringLiteral("a"), 120'000, finish);
    QCOMPARE(times, (QList<qint64>{16'000, 31'000, 46'000}));
    QVERIFY(times.last() - finish <= 15'000);

    // Without the webhook the same prediction costs far more polls (it is watched closely).
    PollScheduler plain;
    plain.add(QStringLiteral("a"), at(0), 30s);
    QVERIFY(pollTimes(plain, QStringLiteral("a"), 120'000, finish).size() > 3 * times.size());

    // The interval is configurable (10–30 s is sensible).
    PollPolicy slow;
    slow.safetyNetInterval = 30s;
    PollScheduler slower(slow);
    slower.add(QStringLiteral("b"), at(0));
    slower.noteExternalUpdate(QStringLiteral("b"), at(100));
    QCOMPARE(ms(*slower.dueAt(QStringLiteral("b"))), 30'100);
}

void TestPollScheduler::unknownIdsAreIgnored()
{
    PollScheduler s;
    s.markPolled(QStringLiteral("nope"), at(0));
    s.noteExternalUpdate(QStringLiteral("nope"), at(0));
    s.setExpected(QStringLiteral("nope"), at(0), 1s);
    s.remove(QStringLiteral("nope"));
    QVERIFY(!s.contains(QStringLiteral("nope")));
    QCOMPARE(s.dueAt(QStringLiteral("nope")), std::nullopt);
    // Removing a prediction while its GET is in flight is fine; the late answer is ignored.
    s.add(QStringLiteral("a"), at(0));
    QVERIFY(s.takeDue(at(500)));
    s.remove(QStringLiteral("a"));
    s.markPolled(QStringLiteral("a"), at(600));
    QCOMPARE(s.size(), 0);
}

void TestPollScheduler::tenMinutesAtHundredActive()
{
    PollSimulationConfig config;
    config.active = 100;
    config.runFor = 10min;
    config.seed = 42;
    const PollSimulationResult r = simulatePolling(config);
    report("100 active, 10 min", r, peerOf(config));
    QCOMPARE(r.stalls, 0);
    QCOMPARE(r.noticed, r.predictions); // every completion noticed
    QVERIFY(r.predictions > 1000);
    QVERIFY2(r.maxGetsInAnySecond <= 40, qPrintable(QString::number(r.maxGetsInAnySecond)));
    QVERIFY2(r.lagP95Ms <= 2000, qPrintable(QString::number(r.lagP95Ms)));

    // Blind (no history): still within budget and complete, only slower to notice.
    config.expectationError.reset();
    const PollSimulationResult blind = simulatePolling(config);
    report("100 active, 10 min, no expectation", blind, peerOf(config));
    QVERIFY(blind.maxGetsInAnySecond <= 40);
    QCOMPARE(blind.noticed, blind.predictions);
}

void TestPollScheduler::fewActiveAreFastAndCheap_data()
{
    QTest::addColumn<int>("active");
    QTest::newRow("1 active") << 1;
    QTest::newRow("4 active") << 4;
    QTest::newRow("8 active") << 8;
}

void TestPollScheduler::fewActiveAreFastAndCheap()
{
    QFETCH(int, active);
    PollSimulationConfig config;
    config.active = active;
    config.runFor = 10min;
    config.seed = 7;
    const PollSimulationResult r = simulatePolling(config);
    const PollSimulationResult peer = peerOf(config);
    report(QTest::currentDataTag(), r, peer);
    QCOMPARE(r.noticed, r.predictions);
    QVERIFY2(r.lagP50Ms <= 150, qPrintable(QString::number(r.lagP50Ms)));
    QVERIFY(r.getsPerPrediction < peer.getsPerPrediction);
    QVERIFY2(r.getsPerPrediction <= 0.5 * peer.getsPerPrediction,
             qPrintable(QString::number(r.getsPerPrediction / peer.getsPerPrediction)));

    // With no expectation it must still cost fewer GETs than the peer.
    config.expectationError.reset();
    QVERIFY(simulatePolling(config).getsPerPrediction < peer.getsPerPrediction);
}

void TestPollScheduler::simulationIsDeterministic()
{
    PollSimulationConfig config;
    config.active = 16;
    config.runFor = 2min;
    const PollSimulationResult a = simulatePolling(config);
    const PollSimulationResult b = simulatePolling(config);
    QCOMPARE(a.gets, b.gets);
    QVERIFY(a.lagsMs == b.lagsMs);
    config.seed = 2;
    QVERIFY(simulatePolling(config).lagsMs != a.lagsMs);
}

QTEST_GUILESS_MAIN(TestPollScheduler)
#include "tst_pollscheduler.moc"
