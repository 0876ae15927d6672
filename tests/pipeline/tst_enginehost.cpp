// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QSignalSpy>
#include <QTest>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/enginehost.h"
#include "core/sandbox/sandboxserver.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"

using namespace brieflow;
using namespace brieflow::test;

class TestEngineHost : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runsJobsOnItsOwnThread();
    void oneEnginePerQueue();

private:
    static EngineHost::Config config(const TempDataDir &dir, const QUrl &api)
    {
        EngineHost::Config c;
        c.databaseFile = dir.paths().databaseFile();
        c.outputsDir = dir.paths().outputsDir();
        c.apiBaseUrl = api;
        c.token = [] { return QStringLiteral("sandbox-test-token"); };
        c.options.outputPolicy.allowLoopback = true;
        return c;
    }
};

void TestEngineHost::runsJobsOnItsOwnThread()
{
    sandbox::SandboxServer server(sandbox::SandboxConfig::forTests());
    QVERIFY(server.start());
    TempDataDir dir;
    JobId id;
    {
        auto store = openTestStore(dir);
        QVERIFY(store);
        QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto brief = briefFromJson(file.readAll());
        QVERIFY(brief);
        const auto job = submitBrief(*store, *brief, QStringLiteral("test"));
        QVERIFY(job);
        id = job->id;
    }
    EngineHost host(config(dir, server.baseUrl()));
    QSignalSpy started(&host, &EngineHost::started);
    QSignalSpy settled(&host, &EngineHost::jobSettled);
    QSignalSpy changed(&host, &EngineHost::jobsChanged);
    host.start();
    QVERIFY(started.wait(5000));
    QVERIFY2(started.first().at(0).toBool(), qPrintable(started.first().at(1).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!settled.isEmpty(), 20'000);
    QCOMPARE(settled.first().at(0).value<JobId>(), id);
    QCOMPARE(toString(settled.first().at(1).value<JobStatus>()), QStringLiteral("succeeded"));
    QVERIFY(!changed.isEmpty());
    host.stop();
    QVERIFY(!host.isRunning());
}

void TestEngineHost::oneEnginePerQueue()
{
    sandbox::SandboxServer server(sandbox::SandboxConfig::forTests());
    QVERIFY(server.start());
    TempDataDir dir;
    EngineHost first(config(dir, server.baseUrl()));
    QSignalSpy firstStarted(&first, &EngineHost::started);
    first.start();
    QVERIFY(firstStarted.wait(5000));
    QVERIFY(firstStarted.first().at(0).toBool());

    EngineHost second(config(dir, server.baseUrl()));
    QSignalSpy secondStarted(&second, &EngineHost::started);
    QSignalSpy busy(&second, &EngineHost::queueBusy);
    second.start();
    QVERIFY(secondStarted.wait(5000));
    QVERIFY(!secondStarted.first().at(0).toBool());
    QCOMPARE(busy.size(), 1);
    QVERIFY2(secondStarted.first().at(1).toString().contains(QStringLiteral("already running")),
             qPrintable(secondStarted.first().at(1).toString()));
    second.stop();

    // Once the first one stops, the queue is free again.
    first.stop();
    EngineHost third(config(dir, server.baseUrl()));
    QSignalSpy thirdStarted(&third, &EngineHost::started);
    third.start();
    QVERIFY(thirdStarted.wait(5000));
    QVERIFY(thirdStarted.first().at(0).toBool());
}

QTEST_GUILESS_MAIN(TestEngineHost)
#include "tst_enginehost.moc"
