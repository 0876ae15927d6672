// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The CLI's pipeline commands (run, worker, retry, cancel, show/list after a run) as real
// brieflow-cli processes against temporary data folders: --demo runs the sandbox in the CLI's
// own process (made instant with BRIEFLOW_SANDBOX_LATENCY_MS=0), and one test uses a separate
// `brieflow-cli sandbox` process through --api-base.
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>

#include "core/util/ids.h"
#include "tests/support/tempdatadir.h"

using namespace brieflow;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

/** The environment the tests run the CLI in: no real token, no data-dir override, fast demo. */
QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    e.remove(QStringLiteral("REPLICATE_API_TOKEN"));
    e.insert(QStringLiteral("BRIEFLOW_SANDBOX_LATENCY_MS"), QStringLiteral("0"));
    return e;
}

Run runCli(const QStringList &args, const QProcessEnvironment &env = cliEnvironment(),
           const QByteArray &input = {}, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(BRIEFLOW_CLI_BINARY), args);
    if (!p.waitForStarted(10000))
        return {};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        Run r;
        r.exitCode = -3;
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString examples(const QString &name)
{
    return QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/") + name;
}

QString sha256Hex(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(
        QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
}

QString describe(const Run &r)
{
    return QStringLiteral("exit %1\n--- stdout\n%2\n--- stderr\n%3")
        .arg(r.exitCode)
        .arg(r.out, r.err);
}

QJsonObject stepNamed(const QJsonObject &job, const QString &name)
{
    for (const QJsonValue &v : job.value(QStringLiteral("steps")).toArray()) {
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    }
    return {};
}

const QSet<QString> &statusWords()
{
    static const QSet<QString> words{
        QStringLiteral("pending"), QStringLiteral("processing"), QStringLiteral("succeeded"),
        QStringLiteral("failed"),  QStringLiteral("canceled"),   QStringLiteral("needs_attention")};
    return words;
}

/** A one-image brief, so a run is quick. */
QByteArray smallBrief(const QString &product)
{
    return QJsonDocument(
               QJsonObject{
                   {QStringLiteral("product_name"), product},
                   {QStringLiteral("audience"), QStringLiteral("Students who revise on the bus")},
                   {QStringLiteral("value_proposition"),
                    QStringLiteral("Flashcards that sync between laptop and phone.")},
                   {QStringLiteral("image"),
                    QJsonObject{{QStringLiteral("count"), 1},
                                {QStringLiteral("aspect_ratio"), QStringLiteral("1:1")}}}})
        .toJson();
}

} // namespace

class TestCliPipeline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runDemoWaitTellsTheWholeStory();
    void runCsvOfThreeBriefs();
    void runRefusesInvalidInput();
    void missingTokenIsExplained_data();
    void missingTokenIsExplained();
    void retryRefusedThenFromImageWithAnEdit();
    void cancelTwiceIsHarmless();
    void workerUntilIdleRunsSubmittedJobs();
    void runAgainstASeparateSandbox();
    void runWaitWhileAnotherWorkerHoldsTheQueue();

private:
    /** run --demo --wait of one small brief; returns the job id (empty on failure). */
    QString runSmallJob(const QStringList &data, const QString &product);
    QJsonObject show(const QStringList &data, const QString &id);
};

QString TestCliPipeline::runSmallJob(const QStringList &data, const QString &product)
{
    const Run r = runCli(data
                             + QStringList{QStringLiteral("run"), QStringLiteral("--wait"),
                                           QStringLiteral("--json"), QStringLiteral("-")},
                         cliEnvironment(), smallBrief(product));
    if (r.exitCode != 0) {
        qWarning("%s", qPrintable(describe(r)));
        return {};
    }
    const QJsonArray jobs = QJsonDocument::fromJson(r.out.toUtf8()).array();
    return jobs.size() == 1 ? jobs.at(0).toObject().value(QStringLiteral("id")).toString()
                            : QString();
}

QJsonObject TestCliPipeline::show(const QStringList &data, const QString &id)
{
    const Run r = runCli(data + QStringList{QStringLiteral("show"), id, QStringLiteral("--json")});
    if (r.exitCode != 0)
        qWarning("%s", qPrintable(describe(r)));
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

void TestCliPipeline::runDemoWaitTellsTheWholeStory()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    const Run r = runCli(data
                         + QStringList{QStringLiteral("run"), QStringLiteral("--wait"),
                                       examples(QStringLiteral("brief.json"))});
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    QVERIFY2(r.out.startsWith(QStringLiteral("succeeded")), qPrintable(r.out));
    const QString id = r.out.split(QLatin1Char(' '), Qt::SkipEmptyParts).value(1);
    QVERIFY2(isSortableId(id), qPrintable(r.out));
    // Demo data lives in demo/ inside the data folder.
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("demo/brieflow.sqlite3"))));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("brieflow.sqlite3"))));

    const QJsonObject job = show(data, id);
    QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const QJsonArray steps = job.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps.size(), 4);
    for (const QJsonValue &v : steps) {
        const QJsonObject step = v.toObject();
        QCOMPARE(step.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QVERIFY(step.contains(QStringLiteral("error_type")));
        QVERIFY(step.contains(QStringLiteral("error_message")));
        QVERIFY(step.contains(QStringLiteral("output")));
        for (const QJsonValue &a : step.value(QStringLiteral("attempts")).toArray()) {
            const QJsonObject attempt = a.toObject();
            QVERIFY(!attempt.value(QStringLiteral("prediction_id")).toString().isEmpty());
            QCOMPARE(attempt.value(QStringLiteral("status")).toString(),
                     QStringLiteral("succeeded"));
        }
    }
    for (const QString &name : {QStringLiteral("concept"), QStringLiteral("image_prompt")}) {
        const QJsonObject step = stepNamed(job, name);
        QVERIFY2(!step.value(QStringLiteral("output"))
                      .toObject()
                      .value(QStringLiteral("text"))
                      .toString()
                      .trimmed()
                      .isEmpty(),
                 qPrintable(name));
        QVERIFY(!step.value(QStringLiteral("attempts")).toArray().isEmpty());
        QVERIFY(!step.value(QStringLiteral("model")).toString().isEmpty());
    }
    QVERIFY(!stepNamed(job, QStringLiteral("image"))
                 .value(QStringLiteral("attempts"))
                 .toArray()
                 .isEmpty());

    const QJsonArray outputs = job.value(QStringLiteral("outputs")).toArray();
    QCOMPARE(outputs.size(), 2); // the brief asks for two images
    for (const QJsonValue &v : outputs) {
        const QJsonObject o = v.toObject();
        const QString path = o.value(QStringLiteral("path")).toString();
        QVERIFY2(QFile::exists(path), qPrintable(path));
        QCOMPARE(sha256Hex(path), o.value(QStringLiteral("sha256")).toString());
        QImageReader reader(path);
        const QImage image = reader.read();
        QVERIFY2(!image.isNull(), qPrintable(reader.errorString()));
        QCOMPARE(image.width(), o.value(QStringLiteral("width")).toInt());
        QCOMPARE(image.height(), o.value(QStringLiteral("height")).toInt());
        QCOMPARE(o.value(QStringLiteral("mime")).toString(), QStringLiteral("image/png"));
        QCOMPARE(o.value(QStringLiteral("bytes")).toInteger(), QFileInfo(path).size());
        QVERIFY(image.width() > image.height()); // 16:9
    }

    // The human story names every step with its text and image paths.
    const Run story = runCli(data + QStringList{QStringLiteral("show"), id});
    QCOMPARE(story.exitCode, 0);
    QVERIFY(story.out.contains(QStringLiteral("image_prompt")));
    QVERIFY(story.out.contains(outputs.at(0).toObject().value(QStringLiteral("path")).toString()));
}

void TestCliPipeline::runCsvOfThreeBriefs()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    const QByteArray csv = "product_name,audience,value_proposition,image_count\n"
                           "Lumo Lamp,Remote workers,A lamp that follows the day.,1\n"
                           "NoteKeeper,Students,Notes that sync in a second.,1\n"
                           "Café Ñandú,Commuters,Coffee ready in 90 seconds.,1\n";
    const QString file = dir.filePath(QStringLiteral("three.csv"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(csv);
    }
    const Run r = runCli(data
                         + QStringList{QStringLiteral("run"), QStringLiteral("--wait"),
                                       QStringLiteral("--concurrency"), QStringLiteral("3"),
                                       QStringLiteral("--json"), file});
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    const QJsonArray ran = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(ran.size(), 3);

    const Run list = runCli(data + QStringList{QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonArray jobs = QJsonDocument::fromJson(list.out.toUtf8()).array();
    QCOMPARE(jobs.size(), 3);
    QSet<QString> products;
    for (const QJsonValue &v : jobs) {
        const QJsonObject job = v.toObject();
        for (const char *field : {"id", "status", "current_step", "product_name", "created_at"})
            QVERIFY2(job.contains(QLatin1String(field)), field);
        QVERIFY(isSortableId(job.value(QStringLiteral("id")).toString()));
        QVERIFY(statusWords().contains(job.value(QStringLiteral("status")).toString()));
        QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
        QVERIFY(QDateTime::fromString(job.value(QStringLiteral("created_at")).toString(),
                                      Qt::ISODateWithMs)
                    .isValid());
        products.insert(job.value(QStringLiteral("product_name")).toString());
    }
    QCOMPARE(products, (QSet<QString>{QStringLiteral("Lumo Lamp"), QStringLiteral("NoteKeeper"),
                                      QStringLiteral("Café Ñandú")}));
}

void TestCliPipeline::runRefusesInvalidInput()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    const Run r = runCli(data
                         + QStringList{QStringLiteral("run"), QStringLiteral("--wait"),
                                       examples(QStringLiteral("brief.json")),
                                       examples(QStringLiteral("invalid/missing-fields.json"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("nothing was queued")), qPrintable(r.err));
    const Run list = runCli(data + QStringList{QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(list.out.toUtf8()).array().size(), 0);
}

void TestCliPipeline::missingTokenIsExplained_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("run") << QStringList{QStringLiteral("run"),
                                        examples(QStringLiteral("brief.json"))};
    QTest::newRow("run --wait") << QStringList{QStringLiteral("run"), QStringLiteral("--wait"),
                                               examples(QStringLiteral("brief.json"))};
    QTest::newRow("worker") << QStringList{QStringLiteral("worker"),
                                           QStringLiteral("--until-idle")};
}

void TestCliPipeline::missingTokenIsExplained()
{
    QFETCH(QStringList, args);
    test::TempDataDir dir;
    const Run r = runCli(QStringList{QStringLiteral("--data-dir"), dir.path()} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("REPLICATE_API_TOKEN")), qPrintable(r.err));
    QVERIFY(r.err.contains(QStringLiteral("--demo")));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("brieflow.sqlite3"))));
}

void TestCliPipeline::retryRefusedThenFromImageWithAnEdit()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    const QString id = runSmallJob(data, QStringLiteral("FlashDeck"));
    QVERIFY(!id.isEmpty());
    const QJsonObject before = show(data, id);

    const Run refused = runCli(data + QStringList{QStringLiteral("retry"), id});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.size() > 20, qPrintable(refused.err));

    const Run noStep = runCli(data
                              + QStringList{QStringLiteral("retry"), id, QStringLiteral("--from"),
                                            QStringLiteral("polish")});
    QCOMPARE(noStep.exitCode, 2);
    QVERIFY2(noStep.err.contains(QStringLiteral("image_prompt")), qPrintable(noStep.err));

    const QString edit = QStringLiteral(
        "A flat illustration of a deck of glowing flashcards on a bus seat, morning light");
    const QString editFile = dir.filePath(QStringLiteral("prompt.txt"));
    {
        QFile f(editFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(edit.toUtf8() + '\n');
    }
    const Run retried =
        runCli(data
               + QStringList{QStringLiteral("retry"), id, QStringLiteral("--from"),
                             QStringLiteral("image"), QStringLiteral("--input-file"), editFile,
                             QStringLiteral("--wait")});
    QVERIFY2(retried.exitCode == 0, qPrintable(describe(retried)));

    const QJsonObject after = show(data, id);
    QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    // concept and image_prompt did not run again: same attempts, same prediction ids; the
    // image prompt the image step read is now the edit.
    for (const QString &name : {QStringLiteral("concept"), QStringLiteral("image_prompt")}) {
        QCOMPARE(stepNamed(after, name).value(QStringLiteral("attempts")),
                 stepNamed(before, name).value(QStringLiteral("attempts")));
        QCOMPARE(stepNamed(after, name).value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));
    }
    QCOMPARE(stepNamed(after, QStringLiteral("concept")).value(QStringLiteral("output")),
             stepNamed(before, QStringLiteral("concept")).value(QStringLiteral("output")));
    QCOMPARE(stepNamed(after, QStringLiteral("image_prompt"))
                 .value(QStringLiteral("output"))
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
             edit);
    // image ran again, from the edited prompt.
    const QJsonObject image = stepNamed(after, QStringLiteral("image"));
    QCOMPARE(image.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const QJsonArray imageAttempts = image.value(QStringLiteral("attempts")).toArray();
    QVERIFY(imageAttempts.size() > stepNamed(before, QStringLiteral("image"))
                                       .value(QStringLiteral("attempts"))
                                       .toArray()
                                       .size());
    const QString imageInput =
        QString::fromUtf8(QJsonDocument(image.value(QStringLiteral("input")).toObject()).toJson());
    QVERIFY2(imageInput.contains(edit), qPrintable(imageInput));
    QCOMPARE(stepNamed(after, QStringLiteral("store")).value(QStringLiteral("status")).toString(),
             QStringLiteral("succeeded"));
    // The edit is in the event log.
    bool editLogged = false;
    for (const QJsonValue &v : after.value(QStringLiteral("events")).toArray()) {
        const QString event = QString::fromUtf8(QJsonDocument(v.toObject()).toJson());
        editLogged = editLogged || event.contains(edit);
    }
    QVERIFY2(editLogged,
             qPrintable(QString::fromUtf8(
                 QJsonDocument(after.value(QStringLiteral("events")).toArray()).toJson())));
}

void TestCliPipeline::cancelTwiceIsHarmless()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    const Run submitted = runCli(data
                                 + QStringList{QStringLiteral("submit"), QStringLiteral("--json"),
                                               examples(QStringLiteral("brief.json"))});
    QVERIFY2(submitted.exitCode == 0, qPrintable(describe(submitted)));
    const QString id = QJsonDocument::fromJson(submitted.out.toUtf8())
                           .object()
                           .value(QStringLiteral("queued"))
                           .toArray()
                           .at(0)
                           .toObject()
                           .value(QStringLiteral("id"))
                           .toString();
    QVERIFY(isSortableId(id));

    const Run first = runCli(data + QStringList{QStringLiteral("cancel"), id});
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
    QVERIFY(first.out.contains(QStringLiteral("canceled")));
    const Run second =
        runCli(data + QStringList{QStringLiteral("cancel"), id, QStringLiteral("--json")});
    QVERIFY2(second.exitCode == 0, qPrintable(describe(second)));
    const QJsonObject report = QJsonDocument::fromJson(second.out.toUtf8()).object();
    QCOMPARE(report.value(QStringLiteral("already_final")).toBool(), true);
    QCOMPARE(report.value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));

    const QJsonObject job = show(data, id);
    QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
    const Run missing =
        runCli(data
               + QStringList{QStringLiteral("cancel"),
                             QStringLiteral("0190a4e2-5b6c-7d3e-8f00-112233445566")});
    QCOMPARE(missing.exitCode, 2);
}

void TestCliPipeline::workerUntilIdleRunsSubmittedJobs()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    for (const QString &product : {QStringLiteral("Alpha Pen"), QStringLiteral("Beta Ink")}) {
        const Run submitted =
            runCli(data + QStringList{QStringLiteral("submit"), QStringLiteral("-")},
                   cliEnvironment(), smallBrief(product));
        QVERIFY2(submitted.exitCode == 0, qPrintable(describe(submitted)));
    }
    const Run worker =
        runCli(data + QStringList{QStringLiteral("worker"), QStringLiteral("--until-idle")});
    QVERIFY2(worker.exitCode == 0, qPrintable(describe(worker)));
    QCOMPARE(worker.out.count(QStringLiteral("succeeded")), 2);

    const Run list = runCli(data + QStringList{QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonArray jobs = QJsonDocument::fromJson(list.out.toUtf8()).array();
    QCOMPARE(jobs.size(), 2);
    for (const QJsonValue &v : jobs)
        QCOMPARE(v.toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("succeeded"));

    // Nothing left: a second worker is idle at once.
    const Run again =
        runCli(data + QStringList{QStringLiteral("worker"), QStringLiteral("--until-idle")});
    QVERIFY2(again.exitCode == 0, qPrintable(describe(again)));
}

void TestCliPipeline::runWaitWhileAnotherWorkerHoldsTheQueue()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    // A long-running worker owns the queue (as the desktop app would).
    QProcess worker;
    worker.setProcessEnvironment(cliEnvironment());
    worker.setProcessChannelMode(QProcess::MergedChannels);
    worker.start(QStringLiteral(BRIEFLOW_CLI_BINARY), data + QStringList{QStringLiteral("worker")});
    QVERIFY(worker.waitForStarted(10000));
    QString said;
    QElapsedTimer waited;
    waited.start();
    while (!said.contains(QStringLiteral("Worker running")) && waited.elapsed() < 15000) {
        worker.waitForReadyRead(200);
        said += QString::fromUtf8(worker.readAll());
    }
    QVERIFY2(said.contains(QStringLiteral("Worker running")), qPrintable(said));

    // run --wait can't take the queue; it says so and waits for the worker to run its job.
    const Run r = runCli(data
                         + QStringList{QStringLiteral("run"), QStringLiteral("--wait"),
                                       examples(QStringLiteral("brief.json"))});
    worker.terminate();
    worker.waitForFinished(10000);
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    QVERIFY2(r.err.contains(QStringLiteral("already running this queue")), qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("succeeded")));
}

void TestCliPipeline::runAgainstASeparateSandbox()
{
    QProcess sandbox;
    sandbox.setProcessEnvironment(cliEnvironment());
    sandbox.start(QStringLiteral(BRIEFLOW_CLI_BINARY),
                  {QStringLiteral("sandbox"), QStringLiteral("--port"), QStringLiteral("0"),
                   QStringLiteral("--latency-ms"), QStringLiteral("0"), QStringLiteral("--json")});
    QVERIFY(sandbox.waitForStarted(10000));
    QByteArray printed;
    QJsonObject info;
    QTRY_VERIFY_WITH_TIMEOUT((printed += sandbox.readAllStandardOutput(),
                              info = QJsonDocument::fromJson(printed).object(), !info.isEmpty()),
                             15000);
    const QString baseUrl = info.value(QStringLiteral("base_url")).toString();
    QVERIFY(baseUrl.startsWith(QStringLiteral("http://127.0.0.1:")));

    test::TempDataDir dir;
    QProcessEnvironment env = cliEnvironment();
    env.insert(QStringLiteral("REPLICATE_API_TOKEN"), QStringLiteral("sandbox-test-token"));
    const Run r = runCli({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--api-base"),
                          baseUrl, QStringLiteral("run"), QStringLiteral("--wait"),
                          QStringLiteral("--json"), QStringLiteral("-")},
                         env, smallBrief(QStringLiteral("Remote Widget")));
    sandbox.terminate();
    sandbox.waitForFinished(10000);
    QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
    QVERIFY(!r.out.contains(QStringLiteral("sandbox-test-token")));
    QVERIFY(!r.err.contains(QStringLiteral("sandbox-test-token")));
    const QJsonArray jobs = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(jobs.size(), 1);
    QCOMPARE(jobs.at(0).toObject().value(QStringLiteral("status")).toString(),
             QStringLiteral("succeeded"));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("brieflow.sqlite3"))));
}

QTEST_GUILESS_MAIN(TestCliPipeline)
#include "tst_clipipeline.moc"
