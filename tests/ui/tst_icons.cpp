// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Every SVG icon embedded in brieflow_ui loads through QIcon (which needs the SVG icon engine
// plugin, Debian libqt6svg6) and draws something at the sizes the UI uses, on normal and
// high-DPI screens, in both the light and the dark set.
#include <QDir>
#include <QGuiApplication>
#include <QIcon>
#include <QImage>
#include <QImageReader>
#include <QPixmap>
#include <QTest>

namespace {

const QStringList expectedNames = {
    QStringLiteral("state-pending"),
    QStringLiteral("state-processing"),
    QStringLiteral("state-succeeded"),
    QStringLiteral("state-failed"),
    QStringLiteral("state-canceled"),
    QStringLiteral("state-needs-attention"),
    QStringLiteral("generate"),
    QStringLiteral("retry"),
    QStringLiteral("cancel"),
    QStringLiteral("duplicate"),
    QStringLiteral("delete"),
    QStringLiteral("folder-open"),
    QStringLiteral("pause"),
    QStringLiteral("play"),
    QStringLiteral("search"),
    QStringLiteral("edit"),
    QStringLiteral("import-csv"),
    QStringLiteral("settings"),
    QStringLiteral("copy"),
    QStringLiteral("details"),
    QStringLiteral("move-top"),
    QStringLiteral("create"),
    QStringLiteral("gallery"),
    QStringLiteral("star"),
    QStringLiteral("star-filled"),
    QStringLiteral("export"),
    QStringLiteral("compare"),
    QStringLiteral("zoom-in"),
    QStringLiteral("zoom-out"),
    QStringLiteral("zoom-fit"),
    QStringLiteral("image-open"),
    QStringLiteral("monitor"),
    QStringLiteral("brieflow"),
};

// Opaque enough to be seen: the share of pixels with alpha above a third.
double inkedShare(const QImage &image)
{
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    qsizetype inked = 0;
    for (int y = 0; y < argb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(argb.constScanLine(y));
        for (int x = 0; x < argb.width(); ++x)
            inked += qAlpha(line[x]) > 85 ? 1 : 0;
    }
    return double(inked) / double(argb.width() * argb.height());
}

QStringList svgNamesIn(const QString &dir)
{
    QStringList names;
    const QStringList files = QDir(dir).entryList({QStringLiteral("*.svg")}, QDir::Files);
    for (const QString &file : files)
        names << file.chopped(4);
    names.sort();
    return names;
}

} // namespace

class TestIcons : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void svgSupportIsThere();
    void resourceHoldsEveryIcon_data();
    void resourceHoldsEveryIcon();
    void iconRendersAtEverySize_data();
    void iconRendersAtEverySize();
};

void TestIcons::svgSupportIsThere()
{
    // Without the SVG plugins QIcon silently falls back to an engine that can't read SVG.
    QVERIFY2(QImageReader::supportedImageFormats().contains("svg"),
             "Qt's SVG image format plugin is missing (Debian package libqt6svg6)");
}

void TestIcons::resourceHoldsEveryIcon_data()
{
    QTest::addColumn<QString>("dir");
    QTest::newRow("light") << QStringLiteral(":/icons");
    QTest::newRow("dark") << QStringLiteral(":/icons/dark");
}

void TestIcons::resourceHoldsEveryIcon()
{
    QFETCH(QString, dir);
    QStringList expected = expectedNames;
    expected.sort();
    QCOMPARE(svgNamesIn(dir), expected);
}

void TestIcons::iconRendersAtEverySize_data()
{
    QTest::addColumn<QString>("path");
    for (const QString &dir : {QStringLiteral(":/icons"), QStringLiteral(":/icons/dark")}) {
        for (const QString &name : expectedNames) {
            const QString path = dir + QLatin1Char('/') + name + QStringLiteral(".svg");
            QTest::newRow(qPrintable(path)) << path;
        }
    }
}

void TestIcons::iconRendersAtEverySize()
{
    QFETCH(QString, path);
    const QIcon icon(path);
    QVERIFY2(!icon.isNull(), qPrintable(path));

    struct Case {
        int logical;
        qreal dpr;
    };
    for (const Case c : {Case{16, 1.0}, Case{24, 1.0}, Case{32, 1.0}, Case{16, 2.0}}) {
        const QPixmap pixmap = icon.pixmap(QSize(c.logical, c.logical), c.dpr);
        const QString what = QStringLiteral("%1 at %2 px x%3").arg(path).arg(c.logical).arg(c.dpr);
        QVERIFY2(!pixmap.isNull(), qPrintable(what));
        const int devicePixels = qRound(c.logical * c.dpr);
        QCOMPARE(pixmap.size(), QSize(devicePixels, devicePixels));
        const double share = inkedShare(pixmap.toImage());
        // Thin line drawings still cover several per cent of their square; an empty or
        // nearly empty picture means the drawing did not load or fell outside the view box.
        QVERIFY2(share > 0.04, qPrintable(what + QStringLiteral(": only %1 inked").arg(share)));
        QVERIFY2(share < 0.95, qPrintable(what + QStringLiteral(": solid square")));
    }
}

QTEST_MAIN(TestIcons)
#include "tst_icons.moc"
