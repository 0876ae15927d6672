// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Runs the real brieflow-cli binary in a child process against temporary data folders.
#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include "core/util/ids.h"
#include "core/version.h"
#include "tests/support/tempdatadir.h"

using namespace brieflow;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList &args, const QProcessEnvironment &env = {},
           const QByteArray &input = {})
{
    QProcess p;
    QProcessEnvironment e = env.isEmpty() ? QProcessEnvironment::systemEnvironment() : env;
    if (env.isEmpty())
        e.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    p.setProcessEnvironment(e);
    p.start(QStringLiteral(BRIEFLOW_CLI_BINARY), args);
    if (!p.waitForStarted(10000))
        return {};
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        return {};
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

QByteArray sha256(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void versionAndHelp();
    void usageErrorsExitTwo_data();
    void usageErrorsExitTwo();
    void validExamplesExitZero_data();
    void validExamplesExitZero();
    void invalidExamplesExitTwoWithFieldLines_data();
    void invalidExamplesExitTwoWithFieldLines();
    void validateJsonOutput();
    void validateReadsStandardInput();
    void missingFileIsReported();
    void submitListShowRoundTrip();
    void submitRefusesAnyInvalidBrief();
    void dataDirFromEnvironment();
    void corruptDatabaseExitsThreeAndIsKept();
    void emptyDataFolderListsNothing();
};

void TestCli::versionAndHelp()
{
    const Run version = runCli({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.contains(applicationVersion()));

    const Run help = runCli({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    for (const char *word :
         {"validate", "submit", "run", "worker", "list", "show", "retry", "cancel", "--data-dir",
          "--json", "--demo", "--api-base", "REPLICATE_API_TOKEN", "Exit codes", "0  success",
          "1  a job failed", "2  usage error, or the brief is not valid",
          "3  the data folder or the job database can't be used"})
        QVERIFY2(help.out.contains(QLatin1String(word)), word);

    const Run commandHelp = runCli({QStringLiteral("validate"), QStringLiteral("--help")});
    QCOMPARE(commandHelp.exitCode, 0);
    QVERIFY(commandHelp.out.contains(QStringLiteral("brieflow-cli validate FILE")));
}

void TestCli::usageErrorsExitTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    QTest::newRow("no command") << QStringList() << QStringLiteral("usage:");
    QTest::newRow("unknown command")
        << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("unknown command");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--colour")} << QStringLiteral("colour");
    QTest::newRow("validate without file")
        << QStringList{QStringLiteral("validate")} << QStringLiteral("needs a file");
    QTest::newRow("bad status") << QStringList{QStringLiteral("list"), QStringLiteral("--status"),
                                               QStringLiteral("done-ish")}
                                << QStringLiteral("unknown status");
    QTest::newRow("show without id")
        << QStringList{QStringLiteral("show")} << QStringLiteral("one job id");
    QTest::newRow("run without file")
        << QStringList{QStringLiteral("run")} << QStringLiteral("needs a brief file");
    QTest::newRow("run --concurrency without --wait")
        << QStringList{QStringLiteral("run"), QStringLiteral("--concurrency"), QStringLiteral("2"),
                       QStringLiteral("brief.json")}
        << QStringLiteral("only applies with --wait");
    QTest::newRow("run --concurrency 0")
        << QStringList{QStringLiteral("run"), QStringLiteral("--wait"),
                       QStringLiteral("--concurrency"), QStringLiteral("0"),
                       QStringLiteral("brief.json")}
        << QStringLiteral("--concurrency needs");
    QTest::newRow("--demo with --api-base")
        << QStringList{QStringLiteral("--demo"), QStringLiteral("--api-base"),
                       QStringLiteral("http://127.0.0.1:1/v1"), QStringLiteral("list")}
        << QStringLiteral("--demo runs its own sandbox");
    QTest::newRow("bad --api-base")
        << QStringList{QStringLiteral("list"), QStringLiteral("--api-base"),
                       QStringLiteral("ftp://example.com")}
        << QStringLiteral("--api-base needs an http(s) URL");
    QTest::newRow("retry without id")
        << QStringList{QStringLiteral("retry")} << QStringLiteral("one job id");
    QTest::newRow("retry unknown job")
        << QStringList{QStringLiteral("retry"),
                       QStringLiteral("0190a4e2-5b6c-7d3e-8f00-112233445566")}
        << QStringLiteral("no job");
    QTest::newRow("cancel without id")
        << QStringList{QStringLiteral("cancel")} << QStringLiteral("one job id");
    QTest::newRow("worker with a file")
        << QStringList{QStringLiteral("worker"), QStringLiteral("--demo"),
                       QStringLiteral("brief.json")}
        << QStringLiteral("takes no file");
}

void TestCli::usageErrorsExitTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    test::TempDataDir dir;
    const Run r = runCli(QStringList{QStringLiteral("--data-dir"), dir.path()} + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(says), qPrintable(r.err));
}

void TestCli::validExamplesExitZero_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(QStringLiteral(BRIEFLOW_EXAMPLES_DIR));
    const auto files =
        dir.entryList({QStringLiteral("*.json"), QStringLiteral("*.csv")}, QDir::Files);
    QVERIFY(files.size() >= 2);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TestCli::validExamplesExitZero()
{
    QFETCH(QString, file);
    const Run r = runCli({QStringLiteral("validate"), file});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY(r.out.contains(QStringLiteral("valid")));
}

void TestCli::invalidExamplesExitTwoWithFieldLines_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/invalid"));
    const auto files = dir.entryList(QDir::Files);
    QVERIFY(files.size() >= 5);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TestCli::invalidExamplesExitTwoWithFieldLines()
{
    QFETCH(QString, file);
    const Run r = runCli({QStringLiteral("validate"), file});
    QCOMPARE(r.exitCode, 2);
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(!lines.isEmpty(), qPrintable(r.err));
    // "field: message", "row N: field: message", or a whole-file message; each a sentence.
    static const QRegularExpression shape(
        QStringLiteral("^(row \\d+: )?([A-Za-z_.]+: )?[A-Z\"“(].*[.)?]$"));
    for (const QString &line : lines)
        QVERIFY2(shape.match(line).hasMatch(), qPrintable(line));
}

void TestCli::validateJsonOutput()
{
    const Run r = runCli({QStringLiteral("validate"), QStringLiteral("--json"),
                          examples(QStringLiteral("brief.json")),
                          examples(QStringLiteral("invalid/missing-fields.json"))});
    QCOMPARE(r.exitCode, 2);
    const QJsonObject doc = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(doc.value(QStringLiteral("valid")).toBool(true), false);
    const QJsonArray files = doc.value(QStringLiteral("files")).toArray();
    QCOMPARE(files.size(), 2);
    QCOMPARE(files.at(0).toObject().value(QStringLiteral("valid")).toBool(), true);
    const QJsonArray issues = files.at(1).toObject().value(QStringLiteral("issues")).toArray();
    QVERIFY(!issues.isEmpty());
    QVERIFY(!issues.at(0).toObject().value(QStringLiteral("field")).toString().isEmpty());
    QVERIFY(!issues.at(0).toObject().value(QStringLiteral("message")).toString().isEmpty());
}

void TestCli::validateReadsStandardInput()
{
    const Run good = runCli(
        {QStringLiteral("validate"), QStringLiteral("-")}, {},
        R"({"product_name":"NoteKeeper","audience":"Students","value_proposition":"Notes that find themselves."})");
    QCOMPARE(good.exitCode, 0);
    QVERIFY(good.out.contains(QStringLiteral("NoteKeeper")));
    const Run bad = runCli({QStringLiteral("validate"), QStringLiteral("-")}, {},
                           R"({"product_name":"NoteKeeper","colour":"red"})");
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.out.contains(QStringLiteral("colour")), qPrintable(bad.out));
    QVERIFY(bad.out.contains(QStringLiteral("audience")));
}

void TestCli::missingFileIsReported()
{
    const Run r = runCli({QStringLiteral("validate"), QStringLiteral("/nonexistent/brief.json")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.out.contains(QStringLiteral("can't read")), qPrintable(r.out));
}

void TestCli::submitListShowRoundTrip()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path()};
    const Run submitted = runCli(data
                                 + QStringList{QStringLiteral("submit"), QStringLiteral("--json"),
                                               examples(QStringLiteral("brief.json")),
                                               examples(QStringLiteral("briefs.csv"))});
    QVERIFY2(submitted.exitCode == 0, qPrintable(submitted.err));
    const QJsonArray queued = QJsonDocument::fromJson(submitted.out.toUtf8())
                                  .object()
                                  .value(QStringLiteral("queued"))
                                  .toArray();
    QVERIFY(queued.size() >= 3);
    const QString firstId = queued.at(0).toObject().value(QStringLiteral("id")).toString();
    QVERIFY(isSortableId(firstId));

    const Run list = runCli(data
                            + QStringList{QStringLiteral("list"), QStringLiteral("--status"),
                                          QStringLiteral("pending")});
    QCOMPARE(list.exitCode, 0);
    QCOMPARE(list.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size(), queued.size() + 1);
    QVERIFY(list.out.contains(firstId));

    const Run none = runCli(data
                            + QStringList{QStringLiteral("list"), QStringLiteral("--status"),
                                          QStringLiteral("failed")});
    QCOMPARE(none.exitCode, 0);
    QVERIFY(none.out.contains(QStringLiteral("No failed jobs")));

    const Run show =
        runCli(data + QStringList{QStringLiteral("show"), firstId, QStringLiteral("--json")});
    QCOMPARE(show.exitCode, 0);
    const QJsonObject job = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(job.value(QStringLiteral("id")).toString(), firstId);
    QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
    const QJsonArray steps = job.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps.size(), 4);
    QCOMPARE(steps.at(0).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("concept"));
    QVERIFY(!job.value(QStringLiteral("input"))
                 .toObject()
                 .value(QStringLiteral("product_name"))
                 .toString()
                 .isEmpty());
    QVERIFY(job.value(QStringLiteral("events")).toArray().size() >= 1);

    const Run text = runCli(data + QStringList{QStringLiteral("show"), firstId});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QStringLiteral("image_prompt")));
    QVERIFY(text.out.contains(QStringLiteral("Audience")));

    const Run missing =
        runCli(data
               + QStringList{QStringLiteral("show"),
                             QStringLiteral("0190a4e2-5b6c-7d3e-8f00-112233445566")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY(missing.err.contains(QStringLiteral("no job")));
}

void TestCli::submitRefusesAnyInvalidBrief()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path()};
    const Run r =
        runCli(data
               + QStringList{QStringLiteral("submit"), examples(QStringLiteral("brief.json")),
                             examples(QStringLiteral("invalid/missing-fields.json"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("nothing was queued")));
    const Run list = runCli(data + QStringList{QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    const QJsonDocument listed = QJsonDocument::fromJson(list.out.toUtf8());
    QVERIFY(listed.isArray());
    QCOMPARE(listed.array().size(), 0);
}

void TestCli::dataDirFromEnvironment()
{
    test::TempDataDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BRIEFLOW_DATA_DIR"), dir.path());
    const Run r = runCli({QStringLiteral("submit"), examples(QStringLiteral("brief.json"))}, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("brieflow.sqlite3"))));
}

void TestCli::corruptDatabaseExitsThreeAndIsKept()
{
    test::TempDataDir dir;
    const QString db = dir.filePath(QStringLiteral("brieflow.sqlite3"));
    {
        QFile f(db);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("this is not a database, it is a shopping list\n").repeated(200));
    }
    const QByteArray before = sha256(db);
    for (const QString &command : {QStringLiteral("list"), QStringLiteral("submit")}) {
        QStringList args{QStringLiteral("--data-dir"), dir.path(), command};
        if (command == QLatin1String("submit"))
            args << examples(QStringLiteral("brief.json"));
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(db), qPrintable(r.err));
    }
    QCOMPARE(sha256(db), before);
}

void TestCli::emptyDataFolderListsNothing()
{
    test::TempDataDir dir;
    const Run r = runCli({QStringLiteral("--data-dir"), dir.path(), QStringLiteral("list")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QStringLiteral("No jobs yet")));
    // Reading never creates a database.
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("brieflow.sqlite3"))));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
