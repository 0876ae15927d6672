// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: the real engine on its own thread against the in-process sandbox, with the
// queue model and the job detail view wired the way the main window wires them.
#include <QFile>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/enginehost.h"
#include "core/sandbox/sandboxserver.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "ui/jobdetail/jobdetailview.h"
#include "ui/jobdetail/stepcard.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/thumbnailcache.h"

using namespace brieflow;

class TestJobDetailEndToEnd : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void briefBecomesImagesInTheQueueAndTheDetail();
};

void TestJobDetailEndToEnd::briefBecomesImagesInTheQueueAndTheDetail()
{
    test::TempDataDir dir;
    const Paths paths = dir.paths();
    QVERIFY(paths.ensureExists().isEmpty());
    sandbox::SandboxServer server(sandbox::SandboxConfig::forTests());
    QVERIFY2(server.start(), qPrintable(server.errorString()));

    // The GUI thread's stores: a Writer for submitting, a Reader for the views.
    auto writer = test::openTestStore(dir);
    QVERIFY(writer);
    auto reader = test::openTestStore(dir, JobStore::Mode::Reader);
    QVERIFY(reader);

    EngineHost::Config config;
    config.databaseFile = paths.databaseFile();
    config.outputsDir = paths.outputsDir();
    config.apiBaseUrl = server.baseUrl();
    config.token = [] { return QStringLiteral("sandbox-test-token"); };
    config.options.outputPolicy.allowLoopback = true;
    config.options.reconcileSettle = std::chrono::milliseconds(50);
    config.options.notifyInterval = std::chrono::milliseconds(50);
    EngineHost host(std::move(config));

    ui::ThumbnailCache thumbnails(paths.cacheDir());
    ui::JobTableModel model(*reader);
    model.setThumbnailCache(&thumbnails);
    ui::JobDetailView detail(*reader, writer.get(), &thumbnails, paths.outputsDir());
    detail.resize(480, 900);
    connect(&host, &EngineHost::jobsChanged, &model, &ui::JobTableModel::refresh);
    connect(&host, &EngineHost::jobsChanged, &detail, &ui::JobDetailView::onJobsChanged);
    connect(&host, &EngineHost::stepTextUpdated, &detail, &ui::JobDetailView::onStepText);
    QSignalSpy streamed(&host, &EngineHost::stepTextUpdated);
    QSignalSpy settled(&host, &EngineHost::jobSettled);
    QSignalSpy started(&host, &EngineHost::started);

    QFile file(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto brief = briefFromJson(file.readAll());
    QVERIFY(brief);
    const auto job = submitBrief(*writer, *brief, QStringLiteral("test"));
    QVERIFY(job);
    model.refresh({job->id});
    QCOMPARE(model.rowCount(), 1);
    detail.showJob(job->id);
    QCOMPARE(detail.card(0)->stateText(), QStringLiteral("Waiting"));

    host.start();
    QVERIFY(started.wait(10'000));
    QVERIFY2(started.at(0).at(0).toBool(), qPrintable(started.at(0).at(1).toString()));
    QVERIFY(settled.wait(30'000));
    QCOMPARE(toString(settled.at(0).at(1).value<JobStatus>()), toString(JobStatus::Succeeded));

    // jobsChanged is batched: the last batch may arrive just after jobSettled.
    QTRY_COMPARE_WITH_TIMEOUT(
        model.index(0, ui::JobTableModel::Status).data(ui::JobTableModel::JobStatusRole).toInt(),
        int(JobStatus::Succeeded), 5000);
    QCOMPARE(model.index(0, ui::JobTableModel::Status).data().toString(), QStringLiteral("Done"));
    QCOMPARE(model.index(0, ui::JobTableModel::Progress)
                 .data(ui::JobTableModel::ProgressRole)
                 .toDouble(),
             1.0);
    QTRY_VERIFY_WITH_TIMEOUT(
        !model.index(0, ui::JobTableModel::Thumbnail).data(Qt::DecorationRole).isNull(), 5000);

    QTRY_COMPARE_WITH_TIMEOUT(detail.card(QStringLiteral("image"))->stateText(),
                              QStringLiteral("Done"), 5000);
    ui::StepCard *images = detail.card(QStringLiteral("image"));
    QCOMPARE(images->imageCount(), brief->image.count);
    QVERIFY(!detail.card(QStringLiteral("concept"))->outputText().isEmpty());
    QVERIFY(!detail.card(QStringLiteral("image_prompt"))->outputText().isEmpty());
    QVERIFY(detail.headline().endsWith(QStringLiteral("Done")));
    QTRY_VERIFY_WITH_TIMEOUT(!images->imageStrip()->item(0)->icon().isNull(), 5000);
    QVERIFY(!thumbnails.workedOnThread(QThread::currentThread()));
    qInfo() << "streamed text updates:" << streamed.count();
    host.stop();
}

QTEST_MAIN(TestJobDetailEndToEnd)
#include "tst_jobdetail_e2e.moc"
