// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// JsonLineLog: every line is one JSON object with the fields; rotation at the size limit keeps
// exactly N older files and the newest lines; threads never interleave inside a line; a full
// disk (/dev/full) and a failing rotation are counted and the log goes on; a file rotated away
// by another process is followed.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "core/log/jsonlinelog.h"

using namespace brieflow;

namespace {

QList<QByteArray> linesOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

QJsonObject parsed(const QByteArray &line)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    return doc.object();
}

LogEntry numbered(int n)
{
    LogEntry entry;
    entry.kind = QStringLiteral("test");
    entry.job = QStringLiteral("job-%1").arg(n);
    entry.message =
        QStringLiteral("line %1 ").arg(n, 6, 10, QLatin1Char('0')) + QString(40, QLatin1Char('x'));
    return entry;
}

} // namespace

class TestJsonLineLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lineHasEveryField();
    void missingValuesAreNull();
    void messageIsRedacted();
    void rotationKeepsNFilesAndNewestLines();
    void keepZeroStartsOver();
    void concurrentWritersWriteWholeLines();
    void fullDiskIsCountedAndLogGoesOn();
    void failedRotationIsCountedAndLogGoesOn();
    void followsFileRotatedByAnotherProcess();
    void openFailureIsTyped();
    void createOnFirstWriteLeavesNothingUntilThen();
};

void TestJsonLineLog::lineHasEveryField()
{
    QTemporaryDir dir;
    auto opened = JsonLineLog::open(dir.filePath(QStringLiteral("logs")));
    QVERIFY(opened);
    auto log = *opened;
    QVERIFY(QFile::exists(log->filePath()));
    QCOMPARE(log->filePath(), dir.filePath(QStringLiteral("logs/brieflow.jsonl")));

    LogEntry entry;
    entry.time = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, 89), Qt::UTC);
    entry.level = LogLevel::Warning;
    entry.kind = QStringLiteral("step_failed");
    entry.job = QStringLiteral("0190-job");
    entry.step = QStringLiteral("image");
    entry.stepId = QStringLiteral("0190-step");
    entry.attempt = 3;
    entry.message = QStringLiteral("the model said \"no\"\nsecond line ünïcödé");
    log->write(entry);
    QCOMPARE(log->linesWritten(), 1u);
    QCOMPARE(log->writeFailures(), 0u);

    const auto lines = linesOf(log->filePath());
    QCOMPARE(lines.size(), 1);
    const QJsonObject o = parsed(lines.first());
    QVERIFY2(!o.isEmpty(), lines.first().constData());
    QCOMPARE(o.value(QStringLiteral("time")).toString(),
             QStringLiteral("2026-03-04T05:06:07.089Z"));
    QCOMPARE(o.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
    QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("step_failed"));
    QCOMPARE(o.value(QStringLiteral("job")).toString(), QStringLiteral("0190-job"));
    QCOMPARE(o.value(QStringLiteral("step")).toString(), QStringLiteral("image"));
    QCOMPARE(o.value(QStringLiteral("step_id")).toString(), QStringLiteral("0190-step"));
    QCOMPARE(o.value(QStringLiteral("attempt")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("message")).toString(), entry.message);
    QCOMPARE(o.value(QStringLiteral("pid")).toInteger(), QCoreApplication::applicationPid());
    QVERIFY(!o.contains(QStringLiteral("category")));
    // Owner only: the log is nobody else's business.
    QCOMPARE(QFile::permissions(log->filePath())
                 & (QFileDevice::ReadOther | QFileDevice::ReadGroup | QFileDevice::WriteOther),
             QFileDevice::Permissions());
}

void TestJsonLineLog::missingValuesAreNull()
{
    QTemporaryDir dir;
    auto log = JsonLineLog::open(dir.path()).value();
    LogEntry entry;
    entry.kind = QStringLiteral("log");
    entry.category = QStringLiteral("brieflow.app");
    entry.message = QStringLiteral("hello");
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    log->write(entry);
    const QJsonObject o = parsed(linesOf(log->filePath()).value(0));
    for (const char *key : {"job", "step", "step_id", "attempt"})
        QVERIFY2(o.value(QLatin1String(key)).isNull(), key);
    QCOMPARE(o.value(QStringLiteral("category")).toString(), QStringLiteral("brieflow.app"));
    QCOMPARE(o.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    const QDateTime time =
        QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    QVERIFY(time.isValid());
    QCOMPARE(time.timeSpec(), Qt::UTC);
    QVERIFY(time >= before && time <= QDateTime::currentDateTimeUtc());
}

void TestJsonLineLog::messageIsRedacted()
{
    QTemporaryDir dir;
    auto log = JsonLineLog::open(dir.path()).value();
    LogEntry entry;
    entry.message = QStringLiteral("sent Authorization: Bearer r8_AbCdEf0123456789xyz to x");
    log->write(entry);
    const QByteArray line = linesOf(log->filePath()).value(0);
    QVERIFY(!line.contains("r8_"));
    QVERIFY(!line.contains("AbCdEf0123456789xyz"));
    QVERIFY(line.contains("[redacted]"));
}

void TestJsonLineLog::rotationKeepsNFilesAndNewestLines()
{
    QTemporaryDir dir;
    JsonLineLog::Options options;
    options.maxBytes = 4096;
    options.keepFiles = 3;
    auto log = JsonLineLog::open(dir.path(), options).value();
    const qsizetype lineSize = JsonLineLog::formatLine(numbered(0)).size();
    const int total = 1000; // ~ 30 files' worth: many rotations
    for (int i = 0; i < total; ++i)
        log->write(numbered(i));
    QCOMPARE(log->linesWritten(), quint64(total));
    QCOMPARE(log->writeFailures(), 0u);
    QCOMPARE(log->rotationFailures(), 0u);
    QVERIFY(log->rotations() > 20);

    QStringList files = QDir(dir.path()).entryList(QDir::Files, QDir::Name);
    QCOMPARE(files,
             (QStringList{QStringLiteral("brieflow.1.jsonl"), QStringLiteral("brieflow.2.jsonl"),
                          QStringLiteral("brieflow.3.jsonl"), QStringLiteral("brieflow.jsonl")}));
    // Oldest to newest, the kept lines are exactly the last ones written, none lost between.
    QList<QByteArray> kept;
    for (const QString &name :
         {QStringLiteral("brieflow.3.jsonl"), QStringLiteral("brieflow.2.jsonl"),
          QStringLiteral("brieflow.1.jsonl"), QStringLiteral("brieflow.jsonl")}) {
        const QString path = dir.filePath(name);
        QVERIFY2(QFileInfo(path).size() <= options.maxBytes, qPrintable(name));
        kept << linesOf(path);
    }
    const int perFile = int(options.maxBytes / lineSize);
    QVERIFY(kept.size() > 3 * perFile);
    QVERIFY(kept.size() <= 4 * perFile);
    for (int k = 0; k < kept.size(); ++k) {
        const int expected = total - int(kept.size()) + k;
        const QJsonObject o = parsed(kept.at(k));
        QCOMPARE(o.value(QStringLiteral("job")).toString(), QStringLiteral("job-%1").arg(expected));
    }
    // Every rotated file is full: one more line would have passed the limit.
    for (const QString &name :
         {QStringLiteral("brieflow.1.jsonl"), QStringLiteral("brieflow.2.jsonl"),
          QStringLiteral("brieflow.3.jsonl")})
        QVERIFY(QFileInfo(dir.filePath(name)).size() + lineSize > options.maxBytes);
}

void TestJsonLineLog::keepZeroStartsOver()
{
    QTemporaryDir dir;
    JsonLineLog::Options options;
    options.maxBytes = 1000;
    options.keepFiles = 0;
    auto log = JsonLineLog::open(dir.path(), options).value();
    for (int i = 0; i < 50; ++i)
        log->write(numbered(i));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
             QStringList{QStringLiteral("brieflow.jsonl")});
    const auto lines = linesOf(log->filePath());
    QVERIFY(!lines.isEmpty());
    QCOMPARE(parsed(lines.constLast()).value(QStringLiteral("job")).toString(),
             QStringLiteral("job-49"));
}

void TestJsonLineLog::concurrentWritersWriteWholeLines()
{
    QTemporaryDir dir;
    JsonLineLog::Options options;
    options.maxBytes = 64 * 1024;
    options.keepFiles = 100; // keep everything, so every line can be counted
    auto log = JsonLineLog::open(dir.path(), options).value();
    constexpr int threads = 6;
    constexpr int perThread = 2000;
    QList<QThread *> workers;
    for (int t = 0; t < threads; ++t) {
        workers << QThread::create([log, t] {
            for (int i = 0; i < perThread; ++i) {
                LogEntry entry;
                entry.kind = QStringLiteral("thread");
                entry.job = QString::number(t);
                entry.attempt = i + 1;
                // Lines of different lengths, so a torn write would show.
                entry.message = QString(10 + (i * 7 + t * 13) % 300, QLatin1Char(char('a' + t)));
                log->write(entry);
            }
        });
    }
    for (QThread *w : workers)
        w->start();
    for (QThread *w : workers) {
        QVERIFY(w->wait(60'000));
        delete w;
    }
    QCOMPARE(log->linesWritten(), quint64(threads * perThread));
    QCOMPARE(log->writeFailures(), 0u);
    QVERIFY(log->rotations() > 5);

    QList<int> next(threads, 1);
    int count = 0;
    const QStringList files = QDir(dir.path()).entryList(QDir::Files);
    // Oldest file first: brieflow.N … brieflow.1, then brieflow.jsonl.
    QList<QString> ordered;
    for (int n = int(files.size()) - 1; n >= 1; --n)
        ordered << dir.filePath(JsonLineLog::rotatedFileName(n));
    ordered << log->filePath();
    for (const QString &path : ordered) {
        for (const QByteArray &line : linesOf(path)) {
            const QJsonObject o = parsed(line);
            QVERIFY2(!o.isEmpty(), line.constData());
            const int t = o.value(QStringLiteral("job")).toString().toInt();
            const int attempt = o.value(QStringLiteral("attempt")).toInt();
            const QString message = o.value(QStringLiteral("message")).toString();
            QCOMPARE(message,
                     QString(10 + ((attempt - 1) * 7 + t * 13) % 300, QLatin1Char(char('a' + t))));
            // Each thread's lines stay in its order.
            QCOMPARE(attempt, next[t]);
            ++next[t];
            ++count;
        }
    }
    QCOMPARE(count, threads * perThread);
}

void TestJsonLineLog::fullDiskIsCountedAndLogGoesOn()
{
    if (!QFile::exists(QStringLiteral("/dev/full")))
        QSKIP("no /dev/full here");
    QTemporaryDir dir;
    QVERIFY(
        QFile::link(QStringLiteral("/dev/full"), dir.filePath(QStringLiteral("brieflow.jsonl"))));
    // Qt's own remark on opening a character device for appending.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("Cannot call seek on a sequential")));
    auto opened = JsonLineLog::open(dir.path());
    QVERIFY(opened);
    auto log = *opened;
    for (int i = 0; i < 10; ++i)
        log->write(numbered(i)); // never throws, never blocks
    QCOMPARE(log->writeFailures(), 10u);
    QCOMPARE(log->linesWritten(), 0u);
    QVERIFY2(!log->lastFailure().isEmpty(), "the reason is kept");

    // Space again (the link replaced by a real file): the next line is written whole.
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("brieflow.jsonl"))));
    log->write(numbered(10));
    QCOMPARE(log->linesWritten(), 1u);
    const auto lines = linesOf(log->filePath());
    QCOMPARE(lines.size(), 1);
    QCOMPARE(parsed(lines.first()).value(QStringLiteral("job")).toString(),
             QStringLiteral("job-10"));
}

void TestJsonLineLog::failedRotationIsCountedAndLogGoesOn()
{
    QTemporaryDir dir;
    JsonLineLog::Options options;
    options.maxBytes = 1000;
    options.keepFiles = 2;
    auto log = JsonLineLog::open(dir.path(), options).value();
    // The oldest name is taken by a folder with a file in it: it can't be removed. (Running as
    // root, a read-only folder would not stop anything.)
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("brieflow.2.jsonl/inside")));
    for (int i = 0; i < 60; ++i)
        log->write(numbered(i));
    QVERIFY(log->rotationFailures() > 0);
    QCOMPARE(log->rotations(), 0u);
    QCOMPARE(log->writeFailures(), 0u);
    QCOMPARE(log->linesWritten(), 60u);
    QVERIFY(log->lastFailure().contains(QStringLiteral("brieflow.2.jsonl")));
    // Nothing lost: the current file grew past the limit instead.
    QCOMPARE(linesOf(log->filePath()).size(), 60);
}

void TestJsonLineLog::followsFileRotatedByAnotherProcess()
{
    QTemporaryDir dir;
    auto log = JsonLineLog::open(dir.path()).value();
    log->write(numbered(1));
    // Another process (say, the CLI worker) rotated the file away.
    QVERIFY(QFile::rename(log->filePath(), dir.filePath(JsonLineLog::rotatedFileName(1))));
    log->write(numbered(2));
    QCOMPARE(linesOf(dir.filePath(JsonLineLog::rotatedFileName(1))).size(), 1);
    const auto lines = linesOf(log->filePath());
    QCOMPARE(lines.size(), 1);
    QCOMPARE(parsed(lines.first()).value(QStringLiteral("job")).toString(),
             QStringLiteral("job-2"));
}

void TestJsonLineLog::openFailureIsTyped()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const auto folder = JsonLineLog::open(dir.filePath(QStringLiteral("file/logs")));
    QVERIFY(!folder);
    QCOMPARE(folder.error().kind, LogError::Kind::CreateFolder);
    QCOMPARE(folder.error().path, dir.filePath(QStringLiteral("file/logs")));

    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("logs/brieflow.jsonl")));
    const auto file = JsonLineLog::open(dir.filePath(QStringLiteral("logs")));
    QVERIFY(!file);
    QCOMPARE(file.error().kind, LogError::Kind::OpenFile);
    QCOMPARE(file.error().path, dir.filePath(QStringLiteral("logs/brieflow.jsonl")));
    QVERIFY(!file.error().message.isEmpty());
}

void TestJsonLineLog::createOnFirstWriteLeavesNothingUntilThen()
{
    QTemporaryDir dir;
    JsonLineLog::Options options;
    options.createOnFirstWrite = true;
    const QString folder = dir.filePath(QStringLiteral("data/logs"));
    auto log = JsonLineLog::open(folder, options).value();
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("data"))));
    log->write(numbered(1));
    QCOMPARE(linesOf(log->filePath()).size(), 1);

    // A folder that can't be made: counted, not thrown, not returned.
    QFile blocker(dir.filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    auto blocked = JsonLineLog::open(dir.filePath(QStringLiteral("file/logs")), options).value();
    blocked->write(numbered(1));
    blocked->write(numbered(2));
    QCOMPARE(blocked->writeFailures(), 2u);
    QCOMPARE(blocked->linesWritten(), 0u);
}

QTEST_GUILESS_MAIN(TestJsonLineLog)
#include "tst_jsonlinelog.moc"
