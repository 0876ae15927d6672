// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// ProcessLog: job events reach the log only once their transaction committed (a rolled-back
// batch logs nothing; a committed one logs its events in order, with the step's name and the
// attempt from the event's data); Qt messages — warnings and up, info of brieflow.* — are
// written redacted as kind "log" with their category and still reach the previous handler.
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

#include "core/log/processlog.h"
#include "core/log/redaction.h"
#include "tests/support/teststore.h"

using namespace brieflow;
using namespace brieflow::test;

Q_LOGGING_CATEGORY(lcTestBrieflow, "brieflow.test", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTestOther, "other.test", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTestDebug, "brieflow.debugtest", QtDebugMsg)

namespace {

QList<QJsonObject> logLines(const JsonLineLog &log)
{
    QFile file(log.filePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        lines << (doc.isObject()
                      ? doc.object()
                      : QJsonObject{{QStringLiteral("invalid"), QString::fromUtf8(line)}});
    }
    return lines;
}

/** The job events among the lines (a failed write also logs the store's warning). */
QList<QJsonObject> eventLines(const JsonLineLog &log)
{
    QList<QJsonObject> lines = logLines(log);
    lines.removeIf([](const QJsonObject &o) {
        return o.value(QStringLiteral("kind")).toString() == QLatin1String("log");
    });
    return lines;
}

QStringList kindsAndMessages(const QList<QJsonObject> &lines)
{
    QStringList out;
    for (const QJsonObject &o : lines)
        out << o.value(QStringLiteral("kind")).toString() + QLatin1Char(':')
                   + o.value(QStringLiteral("message")).toString();
    return out;
}

// What the handler before ours received (it stands for Qt's stderr output).
QStringList passedOn;
void capturingHandler(QtMsgType, const QMessageLogContext &, const QString &message)
{
    passedOn << message;
}

} // namespace

class TestProcessLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void committedEventsAreLoggedInOrder();
    void rolledBackBatchLogsNothing();
    void failedBatchLogsNothing();
    void nothingWithoutInstalledLog();
    void qtMessagesAreFilteredRedactedAndPassedOn();
    void redactionShapes();

private:
    std::unique_ptr<TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ScopedProcessLog> m_log;
    JobRecord m_job;
    QList<StepRecord> m_steps;
};

void TestProcessLog::init()
{
    m_dir = std::make_unique<TempDataDir>();
    QVERIFY(m_dir->isValid());
    m_store = openTestStore(*m_dir);
    QVERIFY(m_store);
    m_log = std::make_unique<ScopedProcessLog>(m_dir->paths().logDir());
    QVERIFY(m_log->log());
    QCOMPARE(ProcessLog::current(), m_log->log());
    auto job = m_store->createJob(NewJob{
        QStringLiteral("campaign"),
        QByteArrayLiteral("{}"),
        {QStringLiteral("concept"), QStringLiteral("image_prompt"), QStringLiteral("image")}});
    QVERIFY(job);
    m_job = *job;
    auto steps = m_store->steps(m_job.id);
    QVERIFY(steps);
    m_steps = *steps;
    QCOMPARE(m_steps.size(), 3);
}

void TestProcessLog::cleanup()
{
    m_log.reset();
    QVERIFY(!ProcessLog::current());
    m_store.reset();
    m_dir.reset();
}

void TestProcessLog::committedEventsAreLoggedInOrder()
{
    const JsonLineLog &log = *m_log->log();
    // createJob's own "created" event, committed with the job.
    auto lines = logLines(log);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines.at(0).value(QStringLiteral("kind")).toString(), QStringLiteral("created"));
    QCOMPARE(lines.at(0).value(QStringLiteral("job")).toString(), m_job.id.toString());

    auto batch = m_store->beginBatch();
    QVERIFY(batch);
    QVERIFY(m_store->appendEvent(m_job.id, m_steps.at(2).id, QStringLiteral("attempt_started"),
                                 QStringLiteral("first"), QByteArrayLiteral("{\"attempt\":2}")));
    QVERIFY(
        m_store->appendEvent(m_job.id, StepId(), QStringLiteral("note"), QStringLiteral("second")));
    QVERIFY(m_store->appendEvent(m_job.id, m_steps.at(0).id, QStringLiteral("step_failed"),
                                 QStringLiteral("third"),
                                 QByteArrayLiteral("{\"error_type\":\"x\",\"attempt\":\"7\"}")));
    QCOMPARE(logLines(log).size(), 1); // nothing before the commit
    QVERIFY(batch->commit());

    lines = logLines(log);
    QCOMPARE(kindsAndMessages(lines).mid(1),
             (QStringList{QStringLiteral("attempt_started:first"), QStringLiteral("note:second"),
                          QStringLiteral("step_failed:third")}));
    const QJsonObject first = lines.at(1);
    QCOMPARE(first.value(QStringLiteral("step")).toString(), QStringLiteral("image"));
    QCOMPARE(first.value(QStringLiteral("step_id")).toString(), m_steps.at(2).id.toString());
    QCOMPARE(first.value(QStringLiteral("attempt")).toInt(), 2);
    QCOMPARE(first.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    QVERIFY(lines.at(2).value(QStringLiteral("step")).isNull());
    QVERIFY(lines.at(2).value(QStringLiteral("attempt")).isNull());
    QCOMPARE(lines.at(3).value(QStringLiteral("step")).toString(), QStringLiteral("concept"));
    QVERIFY(lines.at(3).value(QStringLiteral("attempt")).isNull()); // "7" is not a number
    QCOMPARE(lines.at(3).value(QStringLiteral("level")).toString(), QStringLiteral("warning"));

    // The stored events and the logged ones agree, time included.
    const auto stored = m_store->events(m_job.id);
    QVERIFY(stored);
    QCOMPARE(stored->size(), lines.size());
    for (int i = 0; i < lines.size(); ++i) {
        QCOMPARE(lines.at(i).value(QStringLiteral("kind")).toString(), stored->at(i).kind);
        QCOMPARE(lines.at(i).value(QStringLiteral("time")).toString(),
                 stored->at(i).time.toUTC().toString(Qt::ISODateWithMs));
    }

    // A single append (its own transaction) is logged at once.
    QVERIFY(m_store->appendEvent(m_job.id, StepId(), QStringLiteral("alone"), QStringLiteral("4")));
    QCOMPARE(logLines(log).constLast().value(QStringLiteral("kind")).toString(),
             QStringLiteral("alone"));
}

void TestProcessLog::rolledBackBatchLogsNothing()
{
    const JsonLineLog &log = *m_log->log();
    const qsizetype before = logLines(log).size();
    {
        auto batch = m_store->beginBatch();
        QVERIFY(batch);
        QVERIFY(m_store->appendEvent(m_job.id, StepId(), QStringLiteral("ghost"),
                                     QStringLiteral("rolled back")));
        batch->rollback();
    }
    {
        auto batch = m_store->beginBatch();
        QVERIFY(batch);
        QVERIFY(m_store->appendEvent(m_job.id, StepId(), QStringLiteral("ghost"),
                                     QStringLiteral("never committed")));
        // destroyed without commit()
    }
    QCOMPARE(logLines(log).size(), before);
    // The next committed event is logged alone: nothing of the ghosts comes along.
    QVERIFY(m_store->appendEvent(m_job.id, StepId(), QStringLiteral("real"), QStringLiteral("r")));
    const auto lines = logLines(log);
    QCOMPARE(lines.size(), before + 1);
    QCOMPARE(lines.constLast().value(QStringLiteral("kind")).toString(), QStringLiteral("real"));
    const auto stored = m_store->events(m_job.id);
    QVERIFY(stored);
    QCOMPARE(stored->size(), lines.size());
}

void TestProcessLog::failedBatchLogsNothing()
{
    const JsonLineLog &log = *m_log->log();
    const qsizetype before = eventLines(log).size();
    auto batch = m_store->beginBatch();
    QVERIFY(batch);
    QVERIFY(m_store->appendEvent(m_job.id, StepId(), QStringLiteral("ghost"), QStringLiteral("a")));
    // A write that fails (no such job: foreign key) dooms the batch.
    QVERIFY(!m_store->appendEvent(JobId::generate(), StepId(), QStringLiteral("bad"),
                                  QStringLiteral("b")));
    QVERIFY(!batch->commit());
    QCOMPARE(eventLines(log).size(), before);
    // The store's warning about the failed write is in the log, as a Qt message.
    const QJsonObject warning = logLines(log).constLast();
    QCOMPARE(warning.value(QStringLiteral("kind")).toString(), QStringLiteral("log"));
    QCOMPARE(warning.value(QStringLiteral("category")).toString(),
             QStringLiteral("brieflow.core.store"));
    QVERIFY(m_store->appendEvent(m_job.id, StepId(), QStringLiteral("after"), QStringLiteral("c")));
    QCOMPARE(eventLines(log).size(), before + 1);
}

void TestProcessLog::nothingWithoutInstalledLog()
{
    const auto log = m_log->log();
    const qsizetype before = logLines(*log).size();
    m_log.reset();
    QVERIFY(!ProcessLog::current());
    QVERIFY(m_store->appendEvent(m_job.id, StepId(), QStringLiteral("quiet"), QStringLiteral("q")));
    qCWarning(lcTestBrieflow) << "not logged";
    QCOMPARE(logLines(*log).size(), before);
}

void TestProcessLog::qtMessagesAreFilteredRedactedAndPassedOn()
{
    // Reinstall over a capturing handler, which stands for Qt's own (stderr) output.
    m_log.reset();
    passedOn.clear();
    const QtMessageHandler qtTest = qInstallMessageHandler(capturingHandler);
    m_log = std::make_unique<ScopedProcessLog>(m_dir->paths().logDir());
    const std::shared_ptr<JsonLineLog> log = m_log->log(); // outlives the ScopedProcessLog
    const qsizetype before = logLines(*log).size();

    const QString token = QStringLiteral("r8_Zq9") + QString(30, QLatin1Char('k'));
    qCWarning(lcTestOther).noquote() << "request failed with token" << token;
    qCInfo(lcTestBrieflow).noquote() << "Authorization: Bearer" << token;
    qCInfo(lcTestOther) << "info of another category";
    qCDebug(lcTestDebug) << "debug is never logged";
    qCCritical(lcTestBrieflow).noquote() << "header"
                                         << "(\"Authorization\", \"Token abc\")";

    m_log.reset();
    QVERIFY(qInstallMessageHandler(qtTest) == capturingHandler); // ours is gone again

    // stderr output unchanged: every message reached the previous handler as it was.
    QCOMPARE(passedOn.size(), 5);
    QVERIFY(passedOn.at(0).contains(token));

    const auto lines = logLines(*log).mid(before);
    QCOMPARE(lines.size(), 3);
    for (const QJsonObject &o : lines) {
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("log"));
        const QByteArray text = QJsonDocument(o).toJson();
        QVERIFY2(!text.contains("r8_"), text.constData());
        QVERIFY2(!text.contains("kkkkkkkkkk"), text.constData());
        QVERIFY2(!text.contains("abc"), text.constData());
    }
    QCOMPARE(lines.at(0).value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
    QCOMPARE(lines.at(0).value(QStringLiteral("category")).toString(),
             QStringLiteral("other.test"));
    QCOMPARE(lines.at(0).value(QStringLiteral("message")).toString(),
             QStringLiteral("request failed with token [redacted]"));
    QCOMPARE(lines.at(1).value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    QCOMPARE(lines.at(1).value(QStringLiteral("category")).toString(),
             QStringLiteral("brieflow.test"));
    QCOMPARE(lines.at(1).value(QStringLiteral("message")).toString(),
             QStringLiteral("Authorization: [redacted]"));
    QCOMPARE(lines.at(2).value(QStringLiteral("level")).toString(), QStringLiteral("critical"));
    m_log = std::make_unique<ScopedProcessLog>(m_dir->paths().logDir());
}

void TestProcessLog::redactionShapes()
{
    const QString token = QStringLiteral("r8_AbC123def456GHI789jkl012mno345pqr6");
    const QStringList leaking{
        token,
        QStringLiteral("token=") + token + QStringLiteral("&x=1"),
        QStringLiteral("Authorization: Bearer ") + token,
        QStringLiteral("{\"Authorization\":\"Bearer ") + token + QStringLiteral("\"}"),
        QStringLiteral("std::pair(\"Authorization\",\"Token secret-value-42\")"),
        QStringLiteral("authorization=Bearer sk-abcdef"),
        QStringLiteral("sent Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig now"),
        QStringLiteral("Token 0123456789abcdefXYZ used"),
    };
    for (const QString &text : leaking) {
        const QString out = redactSecrets(text);
        QVERIFY2(out.contains(QStringLiteral("[redacted]")), qPrintable(out));
        QVERIFY2(!out.contains(QStringLiteral("r8_")), qPrintable(out));
        for (const char *secret : {"AbC123", "secret-value", "sk-abcdef", "eyJhbG", "0123456789ab"})
            QVERIFY2(!out.contains(QLatin1String(secret)), qPrintable(out));
    }
    // Ordinary words stay readable.
    for (const QString &plain : {QStringLiteral("token bucket refilled"),
                                 QStringLiteral("the token is missing: set REPLICATE_API_TOKEN"),
                                 QStringLiteral("step image failed after 3 attempts")})
        QCOMPARE(redactSecrets(plain), plain);
}

QTEST_GUILESS_MAIN(TestProcessLog)
#include "tst_processlog.moc"
