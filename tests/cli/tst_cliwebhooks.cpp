// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// `brieflow-cli worker --webhooks HOST:PORT [--public-url URL]` as a real process: the flags
// validated with clear errors (exit 2), a port in use refused before any job runs (exit 3), the
// receiver's URL printed at start and answering there, and jobs run with webhooks on (--demo:
// the in-process sandbox sends its signed deliveries to the receiver).
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include "tests/support/tempdatadir.h"

using namespace brieflow;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

QProcessEnvironment cliEnvironment(int latencyMs = 0)
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.remove(QStringLiteral("BRIEFLOW_DATA_DIR"));
    e.remove(QStringLiteral("REPLICATE_API_TOKEN"));
    e.insert(QStringLiteral("BRIEFLOW_SANDBOX_LATENCY_MS"), QString::number(latencyMs));
    return e;
}

Run runCli(const QStringList &args, const QProcessEnvironment &env = cliEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(BRIEFLOW_CLI_BINARY), args);
    if (!p.waitForStarted(10000))
        return {};
    p.closeWriteChannel();
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        r.exitCode = -3;
    } else {
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    }
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString describe(const Run &r)
{
    return QStringLiteral("exit %1\nstdout:\n%2\nstderr:\n%3").arg(r.exitCode).arg(r.out, r.err);
}

const QRegularExpression kReceiving(
    QStringLiteral(R"(Receiving webhooks on (http://127\.0\.0\.1:\d+/webhooks/replicate))"));

} // namespace

class TestCliWebhooks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void badFlagsExitTwo_data();
    void badFlagsExitTwo();
    void portInUseExitsThreeWithoutRunning();
    void workerPrintsTheReceiverUrlAndItAnswers();
    void jobsRunWithWebhooks();
};

void TestCliWebhooks::badFlagsExitTwo_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("message");
    QTest::newRow("public url alone")
        << QStringList{QStringLiteral("--public-url"), QStringLiteral("https://x.example/w")}
        << QStringLiteral("--public-url needs --webhooks HOST:PORT");
    QTest::newRow("no port") << QStringList{QStringLiteral("--webhooks"),
                                            QStringLiteral("127.0.0.1")}
                             << QStringLiteral("is not HOST:PORT");
    QTest::newRow("port not a number")
        << QStringList{QStringLiteral("--webhooks"), QStringLiteral("127.0.0.1:http")}
        << QStringLiteral("is not a port number");
    QTest::newRow("port too big") << QStringList{QStringLiteral("--webhooks"),
                                                 QStringLiteral("127.0.0.1:70000")}
                                  << QStringLiteral("is not a port number");
    QTest::newRow("host name") << QStringList{QStringLiteral("--webhooks"),
                                              QStringLiteral("example.com:8787")}
                               << QStringLiteral("is not an IP address");
    QTest::newRow("every network without a public url")
        << QStringList{QStringLiteral("--webhooks"), QStringLiteral("0.0.0.0:8787")}
        << QStringLiteral("needs the public https URL");
    QTest::newRow("plain http public url")
        << QStringList{QStringLiteral("--webhooks"), QStringLiteral("127.0.0.1:8787"),
                       QStringLiteral("--public-url"),
                       QStringLiteral("http://hooks.example.com/webhooks/replicate")}
        << QStringLiteral("must use https");
}

void TestCliWebhooks::badFlagsExitTwo()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, message);
    test::TempDataDir dir;
    const Run r =
        runCli(QStringList{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo"),
                           QStringLiteral("worker"), QStringLiteral("--until-idle")}
               + flags);
    QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
    QVERIFY2(r.err.contains(message), qPrintable(describe(r)));
    QVERIFY(r.out.isEmpty());
}

void TestCliWebhooks::portInUseExitsThreeWithoutRunning()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    QProcess submit;
    submit.setProcessEnvironment(cliEnvironment());
    submit.start(QStringLiteral(BRIEFLOW_CLI_BINARY),
                 data
                     + QStringList{QStringLiteral("submit"),
                                   QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json")});
    QVERIFY(submit.waitForFinished(30000));
    QCOMPARE(submit.exitCode(), 0);

    const Run r = runCli(data
                         + QStringList{QStringLiteral("worker"), QStringLiteral("--until-idle"),
                                       QStringLiteral("--webhooks"),
                                       QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort())});
    QVERIFY2(r.exitCode == 3, qPrintable(describe(r)));
    QVERIFY2(r.err.contains(QStringLiteral("Webhooks could not start")), qPrintable(describe(r)));
    QVERIFY2(r.err.contains(QString::number(squatter.serverPort())), qPrintable(describe(r)));
    QVERIFY(!r.out.contains(QStringLiteral("succeeded")));
    // Nothing ran: the job is still queued.
    const Run list = runCli(data + QStringList{QStringLiteral("list")});
    QVERIFY2(list.out.contains(QStringLiteral("pending")), qPrintable(describe(list)));
}

void TestCliWebhooks::workerPrintsTheReceiverUrlAndItAnswers()
{
    test::TempDataDir dir;
    QProcess worker;
    worker.setProcessEnvironment(cliEnvironment());
    worker.start(QStringLiteral(BRIEFLOW_CLI_BINARY),
                 {QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo"),
                  QStringLiteral("worker"), QStringLiteral("--webhooks"),
                  QStringLiteral("127.0.0.1:0")});
    QVERIFY(worker.waitForStarted(10000));
    QString err;
    QRegularExpressionMatch match;
    QVERIFY(QTest::qWaitFor(
        [&] {
            err += QString::fromUtf8(worker.readAllStandardError());
            match = kReceiving.match(err);
            return match.hasMatch() || worker.state() == QProcess::NotRunning;
        },
        20000));
    QVERIFY2(match.hasMatch(), qPrintable(err));
    const QUrl url(match.captured(1));
    QVERIFY(url.port() > 0);

    // The receiver is there: an unsigned POST is refused for its missing headers.
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = network.post(request, QByteArray("{}"));
    QVERIFY(QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
    reply->deleteLater();

    worker.terminate(); // SIGTERM: a clean stop, exit 0
    QVERIFY(worker.waitForFinished(20000));
    QCOMPARE(worker.exitCode(), 0);
}

void TestCliWebhooks::jobsRunWithWebhooks()
{
    test::TempDataDir dir;
    const QStringList data{QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--demo")};
    for (int i = 0; i < 2; ++i) {
        const Run submitted =
            runCli(data
                   + QStringList{QStringLiteral("submit"),
                                 QStringLiteral(BRIEFLOW_EXAMPLES_DIR "/brief.json")});
        QVERIFY2(submitted.exitCode == 0, qPrintable(describe(submitted)));
    }
    const Run worker =
        runCli(data
                   + QStringList{QStringLiteral("worker"), QStringLiteral("--until-idle"),
                                 QStringLiteral("--webhooks"), QStringLiteral("localhost:0")},
               cliEnvironment(300));
    QVERIFY2(worker.exitCode == 0, qPrintable(describe(worker)));
    QVERIFY2(kReceiving.match(worker.err).hasMatch(), qPrintable(describe(worker)));
    QCOMPARE(worker.out.count(QStringLiteral("succeeded")), 2);
    // Every delivery verified: no complaint about the secret or a signature.
    QVERIFY2(!worker.err.contains(QStringLiteral("webhooks:")), qPrintable(describe(worker)));
    QVERIFY2(!worker.err.contains(QStringLiteral("signature")), qPrintable(describe(worker)));
}

QTEST_GUILESS_MAIN(TestCliWebhooks)
#include "tst_cliwebhooks.moc"
