// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// F12 (reliability-performance.md §8): a canary token run. A random token "r8_CANARY_<random>"
// goes to the real brieflow-cli through REPLICATE_API_TOKEN, with every logging category at
// debug level. The sandbox (in this process) first refuses it (401: the authentication failure
// path, logged), then accepts it; the worker finishes the job and `export` writes images,
// sidecars, a PDF sheet and a ZIP. HOME and the XDG folders point into one temporary root, so the
// database (and its WAL), the outputs, settings, caches, logs and exports all land there. Every
// file under that root and every byte the processes printed is searched for the token, its
// base64 forms (each alignment), "Bearer <token>"/"Token <token>" in base64 and UTF-16: any hit
// fails. A planted file proves the search finds what it looks for. The structured log
// (brieflow*.jsonl in the log folder) is searched on its own as well, and must hold the job's
// events, so that search is not vacuous. Prints one JSON line.
#include <QDirIterator>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>

#include "core/sandbox/sandboxserver.h"
#include "tests/faults/faultrig.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/** Runs brieflow-cli without blocking this thread's event loop (the sandbox lives on it). */
Run runCli(const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 120'000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(BRIEFLOW_CLI_BINARY), args);
    if (!p.waitForStarted(10'000))
        return {};
    p.closeWriteChannel();
    Run r;
    // Read as it comes, so a chatty debug log never fills the pipe.
    QObject::connect(&p, &QProcess::readyReadStandardOutput, &p,
                     [&] { r.out += p.readAllStandardOutput(); });
    QObject::connect(&p, &QProcess::readyReadStandardError, &p,
                     [&] { r.err += p.readAllStandardError(); });
    if (!QTest::qWaitFor([&p] { return p.state() == QProcess::NotRunning; }, timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.exitCode = -3;
        return r;
    }
    r.out += p.readAllStandardOutput();
    r.err += p.readAllStandardError();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    return r;
}

QString randomAlnum(int n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString s;
    for (int i = 0; i < n; ++i)
        s += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]);
    return s;
}

/**
 * Every byte pattern that would give the token away: the token itself (also lower-case and as
 * UTF-16), and base64 of the token and of the Authorization values at each of the three
 * alignments (the stable middle part of the encoding, so it matches inside longer base64 text).
 */
QList<QByteArray> needlesFor(const QString &token)
{
    const QByteArray raw = token.toUtf8();
    QList<QByteArray> needles{raw, raw.toLower()};
    needles << QByteArray(reinterpret_cast<const char *>(token.utf16()), token.size() * 2);
    const QList<QByteArray> values{raw, QByteArray("Bearer ") + raw, QByteArray("Token ") + raw};
    for (const QByteArray &value : values) {
        for (int pad = 0; pad < 3; ++pad) {
            const QByteArray encoded = QByteArray(QByteArray(pad, 'x') + value).toBase64();
            // Drop the characters the padding or the next byte can change.
            const qsizetype start = pad == 0 ? 0 : (pad * 4 + 2) / 3 + 1;
            const qsizetype stable = (qsizetype(pad + value.size()) / 3) * 4;
            if (stable - start >= 16)
                needles << encoded.mid(start, stable - start);
            needles << encoded.mid(start, stable - start).replace('+', '-').replace('/', '_');
        }
    }
    needles.removeIf([](const QByteArray &n) { return n.size() < 16; });
    std::sort(needles.begin(), needles.end());
    needles.erase(std::unique(needles.begin(), needles.end()), needles.end());
    return needles;
}

struct Scan {
    int files = 0;
    qint64 bytes = 0;
    QStringList hits; ///< "where: needle"
    QJsonObject perArea;
};

void scanBytes(const QByteArray &data, const QString &where, const QList<QByteArray> &needles,
               Scan &scan)
{
    for (const QByteArray &needle : needles) {
        if (data.contains(needle))
            scan.hits << where + QStringLiteral(": ") + QString::fromLatin1(needle.toHex());
    }
}

void scanTree(const QString &root, const QList<QByteArray> &needles, Scan &scan)
{
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            scan.hits << path + QStringLiteral(": unreadable, not scanned");
            continue;
        }
        const QByteArray data = file.readAll();
        ++scan.files;
        scan.bytes += data.size();
        // Which area it belongs to: the first folder under the root.
        const QString area = QDir(root).relativeFilePath(path).section(QLatin1Char('/'), 0, 0);
        QJsonObject counts = scan.perArea.value(area).toObject();
        counts[QStringLiteral("files")] = counts.value(QStringLiteral("files")).toInt() + 1;
        counts[QStringLiteral("bytes")] =
            counts.value(QStringLiteral("bytes")).toDouble() + double(data.size());
        scan.perArea[area] = counts;
        scanBytes(data, path, needles, scan);
    }
}

} // namespace

class TestFaultCanary : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void canaryTokenLeavesNoTrace();
};

void TestFaultCanary::canaryTokenLeavesNoTrace()
{
    const QString canary = QStringLiteral("r8_CANARY_") + randomAlnum(28);
    const QList<QByteArray> needles = needlesFor(canary);
    QVERIFY(needles.size() >= 8);

    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QStringList areas{
        QStringLiteral("home"),  QStringLiteral("config"),  QStringLiteral("data"),
        QStringLiteral("cache"), QStringLiteral("state"),   QStringLiteral("runtime"),
        QStringLiteral("tmp"),   QStringLiteral("exports"), QStringLiteral("exports-zip")};
    for (const QString &area : areas)
        QVERIFY(QDir().mkpath(root.filePath(area)));
    QFile::setPermissions(root.filePath(QStringLiteral("runtime")),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    sandbox::SandboxServer server(sandbox::SandboxConfig::forTests());
    QVERIFY(server.start());
    // First the canary itself is refused: the authentication failure path, with its errors.
    server.setRejectedTokenPrefixes({QStringLiteral("r8_invalid"), QStringLiteral("r8_CANARY_")});

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    env.insert(QStringLiteral("REPLICATE_API_TOKEN"), canary);
    env.insert(QStringLiteral("HOME"), root.filePath(QStringLiteral("home")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), root.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), root.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), root.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), root.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), root.filePath(QStringLiteral("runtime")));
    env.insert(QStringLiteral("TMPDIR"), root.filePath(QStringLiteral("tmp")));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    const QString api = QStringLiteral("--api-base=") + server.baseUrl().toString();

    QList<Run> runs;
    const auto cli = [&](const QStringList &args) -> const Run & {
        QStringList all{api};
        all << args;
        runs << runCli(all, env);
        return runs.constLast();
    };

    const Run queued =
        cli({QStringLiteral("run"), QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json")});
    QCOMPARE(queued.exitCode, 0);
    const QRegularExpression idPattern(
        QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    const QString jobId = idPattern.match(QString::fromUtf8(queued.out)).captured();
    QVERIFY2(!jobId.isEmpty(), queued.out.constData());

    const int unauthorizedBefore = server.stats().responsesPerStatus.value(401);
    const Run refused = cli({QStringLiteral("worker"), QStringLiteral("--until-idle")});
    const int unauthorized = server.stats().responsesPerStatus.value(401) - unauthorizedBefore;
    QVERIFY2(unauthorized > 0, "the canary was not sent as the token");
    QVERIFY(refused.exitCode != 0);       // the job waits for a working token
    cli({QStringLiteral("show"), jobId}); // the error as the user sees it, scanned below

    // Now the same token works: the worker resumes the job and finishes it.
    server.setRejectedTokenPrefixes({QStringLiteral("r8_invalid")});
    const Run worked = cli({QStringLiteral("worker"), QStringLiteral("--until-idle")});
    QVERIFY2(worked.exitCode == 0, worked.err.constData());
    const Run shown = cli({QStringLiteral("--json"), QStringLiteral("show"), jobId});
    QVERIFY2(shown.out.contains("succeeded"), shown.out.constData());
    const Run exported = cli({QStringLiteral("export"), jobId, QStringLiteral("--to"),
                              root.filePath(QStringLiteral("exports")), QStringLiteral("--pdf")});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    const Run zipped = cli({QStringLiteral("export"), jobId, QStringLiteral("--to"),
                            root.filePath(QStringLiteral("exports-zip")), QStringLiteral("--zip"),
                            QStringLiteral("--format"), QStringLiteral("jpeg")});
    QVERIFY2(zipped.exitCode == 0, zipped.err.constData());
    cli({QStringLiteral("list")});

    // The search works: a planted copy of each form is found, then removed.
    {
        for (const QByteArray &needle : needles) {
            Scan control;
            scanBytes(QByteArray("prefix ") + needle + " suffix", QStringLiteral("planted"),
                      needles, control);
            QVERIFY(!control.hits.isEmpty());
        }
        const QString planted = root.filePath(QStringLiteral("state/planted.txt"));
        QFile file(planted);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("Authorization: Bearer " + canary.toUtf8().toBase64() + "\n");
        file.close();
        Scan tree;
        scanTree(root.path(), needles, tree);
        QVERIFY2(!tree.hits.isEmpty(), "the planted base64 token was not found");
        QVERIFY(QFile::remove(planted));
    }

    Scan scan;
    scanTree(root.path(), needles, scan);

    // The structured log of these runs: wherever the log folder is, its files are searched on
    // their own, and they must have something in them (the job's events, the 401 warnings).
    Scan logScan;
    int logFiles = 0;
    int logLines = 0;
    int jobEventLines = 0;
    int invalidLogLines = 0;
    {
        QDirIterator it(root.path(), {QStringLiteral("brieflow*.jsonl")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray data = file.readAll();
            ++logFiles;
            scanBytes(data, path, needles, logScan);
            for (const QByteArray &line : data.split('\n')) {
                if (line.isEmpty())
                    continue;
                ++logLines;
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.value(QStringLiteral("time")).toString().isEmpty())
                    ++invalidLogLines;
                if (o.value(QStringLiteral("job")).toString() == jobId)
                    ++jobEventLines;
            }
        }
    }
    qint64 streamBytes = 0;
    int debugLines = 0;
    for (int i = 0; i < runs.size(); ++i) {
        const Run &r = runs.at(i);
        streamBytes += r.out.size() + r.err.size();
        debugLines += int(r.err.count("\n"));
        scanBytes(r.out, QStringLiteral("stdout of run %1").arg(i), needles, scan);
        scanBytes(r.err, QStringLiteral("stderr of run %1").arg(i), needles, scan);
    }
    for (const QString &area : areas) {
        // Folders nothing was written to (settings, logs, caches for the CLI) show as zero.
        if (!scan.perArea.contains(area))
            scan.perArea[area] =
                QJsonObject{{QStringLiteral("files"), 0}, {QStringLiteral("bytes"), 0}};
    }
    const auto inArea = [&scan](const QString &area) {
        return scan.perArea.value(area).toObject().value(QStringLiteral("files")).toInt();
    };

    QJsonObject report{{QStringLiteral("canary_length"), int(canary.size())},
                       {QStringLiteral("needles"), int(needles.size())},
                       {QStringLiteral("cli_runs"), int(runs.size())},
                       {QStringLiteral("responses_401"), unauthorized},
                       {QStringLiteral("files_scanned"), scan.files},
                       {QStringLiteral("bytes_scanned"), scan.bytes},
                       {QStringLiteral("areas"), scan.perArea},
                       {QStringLiteral("stream_bytes_scanned"), streamBytes},
                       {QStringLiteral("stderr_lines"), debugLines},
                       {QStringLiteral("log_files"), logFiles},
                       {QStringLiteral("log_lines"), logLines},
                       {QStringLiteral("log_job_event_lines"), jobEventLines},
                       {QStringLiteral("log_hits"), int(logScan.hits.size())},
                       {QStringLiteral("hits"), int(scan.hits.size())}};
    printFaultReport(QStringLiteral("canary_token"), report);

    QVERIFY2(scan.hits.isEmpty(), qPrintable(scan.hits.join(QLatin1Char('\n'))));
    QVERIFY2(logScan.hits.isEmpty(), qPrintable(logScan.hits.join(QLatin1Char('\n'))));
    // The log search was not vacuous: the log exists and holds the job's story.
    QVERIFY(logFiles >= 1);
    QVERIFY(jobEventLines >= 5);
    QCOMPARE(invalidLogLines, 0);
    // What was scanned is what the issue names: database, outputs, settings, exports, logs.
    QVERIFY(scan.files >= 8);
    QVERIFY(inArea(QStringLiteral("exports")) >= 3);
    QVERIFY(inArea(QStringLiteral("exports-zip")) >= 1);
    QVERIFY(inArea(QStringLiteral("data")) + inArea(QStringLiteral("home")) >= 3);
    QVERIFY(debugLines > 20); // debug logging was on and said things
}

QTEST_GUILESS_MAIN(TestFaultCanary)
#include "tst_faultcanary.moc"
