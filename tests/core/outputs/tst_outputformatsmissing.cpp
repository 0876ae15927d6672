// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// A machine without Qt's image format plugins, simulated by an empty plugin path set before any
// plugin is loaded: the start-up check names what is missing, and a WebP output is
// output_format_unsupported, not output_invalid.
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

#include "core/outputs/outputstorage.h"

using namespace brieflow;

class TestOutputFormatsMissing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void startUpCheckNamesTheMissingFormats();
    void webpIsFormatUnsupported();
};

void TestOutputFormatsMissing::startUpCheckNamesTheMissingFormats()
{
    const QStringList missing = missingImageFormats();
    QVERIFY(missing.contains(QStringLiteral("webp")));
    QVERIFY(!missing.contains(QStringLiteral("png"))); // built into QtGui
    const QString message = missingImageFormatsMessage(missing);
    QVERIFY(message.contains(QStringLiteral("WebP")));
    QVERIFY(message.contains(QStringLiteral("qt6-image-formats-plugins")));
}

void TestOutputFormatsMissing::webpIsFormatUnsupported()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    OutputStorage storage(dir.path());
    // A 1×1 lossless WebP.
    const QByteArray webp =
        QByteArray::fromBase64("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
    const auto stored = storage.storeBytes(webp, QStringLiteral("u"));
    QVERIFY(!stored.ok());
    QCOMPARE(toString(stored.error().kind), toString(OutputError::Kind::FormatUnsupported));
    QCOMPARE(toString(stored.error().kind), QStringLiteral("output_format_unsupported"));
    QVERIFY(!stored.error().retryable());
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir noPlugins;
    QCoreApplication::setLibraryPaths({noPlugins.path()});
    TestOutputFormatsMissing test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_outputformatsmissing.moc"
