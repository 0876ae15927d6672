// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// TokenBucket on the fake clock: bursts, steady rates, fractional refill, rate changes, no drift.
#include <deque>

#include <QTest>

#include "core/replicate/tokenbucket.h"
#include "tests/support/fakeclock.h"

using namespace brieflow;
using namespace brieflow::replicate;
using namespace brieflow::test;
using namespace std::chrono_literals;
using Rate = TokenBucket::Rate;

namespace {

/** Takes every token the moment it is available until @p until; the take times in ms. */
QList<qint64> takeGreedily(TokenBucket &bucket, FakeClock &clock, std::chrono::milliseconds until)
{
    QList<qint64> times;
    while (clock.elapsed() < until) {
        if (bucket.tryTake()) {
            times << clock.elapsed().count();
            continue;
        }
        const auto delay = bucket.delayUntilAvailable();
        if (delay <= 0ms)
            qFatal("no token, yet no delay");
        clock.advance(delay);
    }
    return times;
}

/** The most takes inside any half-open window [t, t + window). */
int busiestWindow(const QList<qint64> &times, qint64 window)
{
    int most = 0;
    qsizetype first = 0;
    for (qsizetype last = 0; last < times.size(); ++last) {
        while (times[last] - times[first] >= window)
            ++first;
        most = std::max(most, static_cast<int>(last - first + 1));
    }
    return most;
}

} // namespace

class TestTokenBucket : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void perMinuteKeepsTheCapPerMinute();
    void burstThenEmpty();
    void steadyRate_data();
    void steadyRate();
    void fractionalRefillIsKept();
    void fullBucketEarnsNothing();
    void rateChangeMidway();
    void noDriftOver10000Takes_data();
    void noDriftOver10000Takes();
    void noDriftWhenPolledAtOddTimes();
    void busiestMinuteNeverExceedsTheLimit_data();
    void busiestMinuteNeverExceedsTheLimit();
    void nonsenseRatesAreSanitised();
};

void TestTokenBucket::perMinuteKeepsTheCapPerMinute()
{
    QCOMPARE(Rate::perMinute(600), (Rate{1, 100ms}));
    QCOMPARE(Rate::perMinute(3000), (Rate{1, 20ms}));
    QCOMPARE(Rate::perMinute(6, 1), (Rate{1, 10s}));
    // A burst of 10 leaves 591 refills for the rest of the minute: 60 s / 591, rounded up.
    QCOMPARE(Rate::perMinute(600, 10), (Rate{10, std::chrono::nanoseconds(101'522'843)}));
    QCOMPARE(Rate::perMinute(3000, 100), (Rate{100, std::chrono::nanoseconds(20'682'524)}));
}

void TestTokenBucket::burstThenEmpty()
{
    FakeClock clock;
    TokenBucket bucket(Rate::perMinute(600, 10), &clock);
    QCOMPARE(bucket.available(), 10);
    for (int i = 0; i < 10; ++i)
        QVERIFY(bucket.tryTake());
    QVERIFY(!bucket.tryTake());
    QCOMPARE(bucket.available(), 0);
    QCOMPARE(bucket.delayUntilAvailable(), 102ms); // 101.52 ms, rounded up
    clock.advance(101ms);
    QVERIFY(!bucket.tryTake());
    QCOMPARE(bucket.delayUntilAvailable(), 1ms);
    clock.advance(1ms);
    QCOMPARE(bucket.delayUntilAvailable(), 0ms);
    QVERIFY(bucket.tryTake());
    QVERIFY(!bucket.tryTake());

    // Idle long enough and the whole burst is back, never more.
    clock.advance(1h);
    QCOMPARE(bucket.available(), 10);
}

void TestTokenBucket::steadyRate_data()
{
    QTest::addColumn<int>("perMinute");
    QTest::addColumn<qint64>("spacingMs");
    QTest::newRow("creates 600/min") << 600 << qint64(100);
    QTest::newRow("others 3000/min") << 3000 << qint64(20);
    QTest::newRow("low credit 6/min") << 6 << qint64(10'000);
}

void TestTokenBucket::steadyRate()
{
    QFETCH(int, perMinute);
    QFETCH(qint64, spacingMs);
    FakeClock clock;
    TokenBucket bucket(Rate::perMinute(perMinute), &clock);
    const QList<qint64> times = takeGreedily(bucket, clock, 3min);
    QCOMPARE(times.size(), 3 * perMinute);
    for (qsizetype i = 0; i < times.size(); ++i)
        QCOMPARE(times[i], i * spacingMs);
    QCOMPARE(busiestWindow(times, 60'000), perMinute);
}

void TestTokenBucket::fractionalRefillIsKept()
{
    FakeClock clock;
    TokenBucket bucket(Rate::perMinute(600), &clock);
    QVERIFY(bucket.tryTake());
    clock.advance(60ms);
    QVERIFY(!bucket.tryTake()); // a failed take does not lose the 60 ms served
    QCOMPARE(bucket.delayUntilAvailable(), 40ms);
    clock.advance(39ms);
    QVERIFY(!bucket.tryTake());
    clock.advance(1ms);
    QVERIFY(bucket.tryTake());

    // 2.5 intervals at once: two tokens (capacity allowing) and half an interval kept.
    TokenBucket wide(Rate{5, 100ms}, &clock);
    for (int i = 0; i < 5; ++i)
        QVERIFY(wide.tryTake());
    clock.advance(250ms);
    QCOMPARE(wide.available(), 2);
    QVERIFY(wide.tryTake());
    QVERIFY(wide.tryTake());
    QVERIFY(!wide.tryTake());
    QCOMPARE(wide.delayUntilAvailable(), 50ms);
}

void TestTokenBucket::fullBucketEarnsNothing()
{
    FakeClock clock;
    TokenBucket bucket(Rate{2, 100ms}, &clock);
    clock.advance(10s);
    QVERIFY(bucket.tryTake());
    QVERIFY(bucket.tryTake());
    QVERIFY(!bucket.tryTake());
    // The refill started with the first take, not at construction.
    QCOMPARE(bucket.delayUntilAvailable(), 100ms);
}

void TestTokenBucket::rateChangeMidway()
{
    FakeClock clock;
    TokenBucket bucket(Rate::perMinute(600, 10), &clock);
    for (int i = 0; i < 4; ++i)
        QVERIFY(bucket.tryTake());
    clock.advance(50ms);

    // Down to the low-credit limit: six left, capped at the burst of one.
    bucket.setRate(Rate::perMinute(6, 1));
    QCOMPARE(bucket.rate(), (Rate{1, 10s}));
    QCOMPARE(bucket.available(), 1);
    QVERIFY(bucket.tryTake());
    QVERIFY(!bucket.tryTake());
    QCOMPARE(bucket.delayUntilAvailable(), 10s);
    const QList<qint64> slow = takeGreedily(bucket, clock, 60'050ms);
    QCOMPARE(slow, (QList<qint64>{10'050, 20'050, 30'050, 40'050, 50'050}));

    // Partly through an interval when restored: the new rate starts from now.
    clock.advance(3s);
    bucket.setRate(Rate::perMinute(600, 10));
    QCOMPARE(bucket.available(), 1); // the one token earned at the old rate, 10 s after 50.05 s
    QVERIFY(bucket.tryTake());
    QCOMPARE(bucket.delayUntilAvailable(), 102ms);
    clock.advance(102ms);
    QVERIFY(bucket.tryTake());
    clock.advance(2s);
    QCOMPARE(bucket.available(), 10);

    // A change while tokens are spare keeps what fits.
    bucket.setRate(Rate{4, 1s});
    QCOMPARE(bucket.available(), 4);
    bucket.setRate(Rate{8, 1s});
    QCOMPARE(bucket.available(), 4);
    clock.advance(4s);
    QCOMPARE(bucket.available(), 8);
}

void TestTokenBucket::noDriftOver10000Takes_data()
{
    QTest::addColumn<int>("perMinute");
    QTest::addColumn<int>("burst");
    QTest::newRow("600/min") << 600 << 1;
    QTest::newRow("3000/min") << 3000 << 1;
    QTest::newRow("600/min burst 10 (101.52 ms)") << 600 << 10;
    QTest::newRow("3000/min burst 100 (20.68 ms)") << 3000 << 100;
    QTest::newRow("7/min burst 2 (10 s less a bit)") << 7 << 2;
}

void TestTokenBucket::noDriftOver10000Takes()
{
    QFETCH(int, perMinute);
    QFETCH(int, burst);
    FakeClock clock;
    const Rate rate = Rate::perMinute(perMinute, burst);
    TokenBucket bucket(rate, &clock);
    int taken = 0;
    while (taken < 10'000) {
        if (bucket.tryTake()) {
            ++taken;
            continue;
        }
        clock.advance(bucket.delayUntilAvailable());
    }
    // The last take happened at the first whole millisecond at or after its ideal time.
    const qint64 idealNs = qint64(10'000 - burst) * rate.refillInterval.count();
    const qint64 expectedMs = (idealNs + 999'999) / 1'000'000;
    QCOMPARE(clock.elapsed().count(), expectedMs);
}

void TestTokenBucket::noDriftWhenPolledAtOddTimes()
{
    // Asked every 7 ms (never on a token boundary) for 10 minutes at 600/min with a burst of
    // 10 (101.52 ms): exactly the tokens the rate allows, so each look leaks and loses nothing.
    FakeClock clock;
    const Rate rate = Rate::perMinute(600, 10);
    TokenBucket bucket(rate, &clock);
    int taken = 0;
    qint64 lastLookMs = 0;
    while (clock.elapsed() < 10min) {
        lastLookMs = clock.elapsed().count();
        while (bucket.tryTake())
            ++taken;
        clock.advance(7ms);
    }
    QCOMPARE(qint64(taken), 10 + lastLookMs * 1'000'000 / rate.refillInterval.count());
    QVERIFY(taken <= 10 * 600);
}

void TestTokenBucket::busiestMinuteNeverExceedsTheLimit_data()
{
    QTest::addColumn<int>("perMinute");
    QTest::addColumn<int>("burst");
    QTest::newRow("600 burst 1") << 600 << 1;
    QTest::newRow("600 burst 10") << 600 << 10;
    QTest::newRow("3000 burst 100") << 3000 << 100;
    QTest::newRow("6 burst 1") << 6 << 1;
    QTest::newRow("6 burst 6") << 6 << 6;
}

void TestTokenBucket::busiestMinuteNeverExceedsTheLimit()
{
    QFETCH(int, perMinute);
    QFETCH(int, burst);
    FakeClock clock;
    TokenBucket bucket(Rate::perMinute(perMinute, burst), &clock);
    // Greedy, then idle long enough to refill fully, then greedy again: the worst case.
    QList<qint64> times = takeGreedily(bucket, clock, 90s);
    clock.advance(2min);
    times << takeGreedily(bucket, clock, clock.elapsed() + 90s);
    QCOMPARE(busiestWindow(times, 60'000), perMinute);
    QCOMPARE(times.first(), 0);
    QCOMPARE(times.at(burst - 1), 0); // the whole burst at once
}

void TestTokenBucket::nonsenseRatesAreSanitised()
{
    FakeClock clock;
    TokenBucket bucket(Rate{0, 0ns}, &clock);
    QCOMPARE(bucket.rate().capacity, 1);
    QVERIFY(bucket.rate().refillInterval > 0ns);
    QCOMPARE(Rate::perMinute(0, 0), Rate::perMinute(1, 1));
    QCOMPARE(Rate::perMinute(5, 50), (Rate{5, 60s}));
}

QTEST_GUILESS_MAIN(TestTokenBucket)
#include "tst_tokenbucket.moc"
