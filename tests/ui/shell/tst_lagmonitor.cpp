// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QThread>
#include <QTimer>

#include "ui/shell/lagmonitor.h"

using brieflow::ui::LagMonitor;

class TestLagMonitor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void percentilesOfKnownSamples();
    void idleLoopIsOnTime();
    void blockedLoopShowsAsOneLateBeat();
    void jsonCarriesTheFigures();
};

void TestLagMonitor::percentilesOfKnownSamples()
{
    LagMonitor monitor;
    for (int i = 0; i < 98; ++i)
        monitor.record(1'000'000); // 1 ms
    monitor.record(20'000'000);    // 20 ms
    monitor.record(120'000'000);   // 120 ms
    const auto f = monitor.figures();
    QCOMPARE(f.beats, 100);
    QVERIFY(qAbs(f.p50Ms - 1.0) < 0.11);
    QVERIFY(f.p99Ms >= 19.9 && f.p99Ms <= 20.1); // 0.1 ms buckets, upper edge
    QCOMPARE(f.maxMs, 120.0);
    QCOMPARE(f.over16Ms, 2);
    QCOMPARE(f.over50Ms, 1);
    QCOMPARE(f.over100Ms, 1);
}

void TestLagMonitor::idleLoopIsOnTime()
{
    LagMonitor monitor;
    monitor.start();
    // Not QTest::qWait(): it sleeps 10 ms between its turns of the event loop.
    QEventLoop loop;
    QTimer::singleShot(300, &loop, &QEventLoop::quit);
    loop.exec();
    monitor.stop();
    const auto f = monitor.figures();
    QVERIFY2(f.beats >= 30, qPrintable(QString::number(f.beats)));
    // An idle event loop answers within a few ms, even on a busy CI machine.
    QVERIFY2(f.p50Ms < 5, monitor.toJson().constData());
    QVERIFY(f.p50Ms <= f.p99Ms && f.p99Ms <= f.maxMs);
}

void TestLagMonitor::blockedLoopShowsAsOneLateBeat()
{
    LagMonitor monitor;
    monitor.start();
    QTest::qWait(50);
    QThread::msleep(120); // the GUI thread is blocked
    QTest::qWait(50);
    const auto f = monitor.figures();
    QVERIFY2(f.maxMs >= 100, monitor.toJson().constData());
    QVERIFY(f.over100Ms >= 1);
    QVERIFY(f.over50Ms >= f.over100Ms);
    monitor.reset();
    QCOMPARE(monitor.figures().beats, 0);
    QVERIFY(monitor.isRunning());
}

void TestLagMonitor::jsonCarriesTheFigures()
{
    LagMonitor monitor;
    monitor.record(2'500'000);
    const QJsonObject o = QJsonDocument::fromJson(monitor.toJson()).object();
    QCOMPARE(o.value(QStringLiteral("beats")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("max_ms")).toDouble(), 2.5);
    for (const char *key : {"p50_ms", "p90_ms", "p99_ms", "over_16ms", "over_50ms", "over_100ms",
                            "interval_ms", "elapsed_ms"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
}

QTEST_MAIN(TestLagMonitor)
#include "tst_lagmonitor.moc"
