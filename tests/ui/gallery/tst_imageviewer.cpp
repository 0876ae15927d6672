// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QFile>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWheelEvent>

#include "ui/gallery/imageviewer.h"

using brieflow::ui::ImageViewer;

namespace {

QImage pattern(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(x % 256, y % 256, (x / 64 + y / 64) % 2 ? 200 : 40));
    }
    return image;
}

/** A viewer whose viewport is exactly @p viewport logical pixels (no scroll bars). */
std::unique_ptr<ImageViewer> makeViewer(QSize viewport, double dpr)
{
    auto viewer = std::make_unique<ImageViewer>();
    viewer->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewer->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewer->setDevicePixelRatioOverride(dpr);
    viewer->resize(viewport);
    viewer->show();
    return viewer;
}

void sendWheel(QWidget *viewport, QPointF at, int delta, Qt::KeyboardModifiers modifiers)
{
    QWheelEvent event(at, viewport->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton,
                      modifiers, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(viewport, &event);
}

} // namespace

class TestImageViewer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fitShrinksLargeImagesAndNeverEnlargesSmallOnes();
    void actualSizeIsOneImagePixelPerDevicePixel();
    void highDpiFitAndActualSize();
    void wheelZoomKeepsThePointUnderTheCursor();
    void zoomIsClampedAndSaysWhatItIs();
    void dragAndScrollBarsPan();
    void keysZoomAndFit();
    void resizeKeepsFit();
    void missingFileShowsAPlainError();
    void unreadableFileShowsAPlainError();
    void decodesOffTheGuiThreadShowingThePlaceholderMeanwhile();
};

void TestImageViewer::fitShrinksLargeImagesAndNeverEnlargesSmallOnes()
{
    auto viewer = makeViewer(QSize(500, 400), 1.0);
    QCOMPARE(viewer->viewport()->size(), QSize(500, 400));
    viewer->setImage(pattern(2000, 1000));
    QVERIFY(viewer->isFitMode());
    QCOMPARE(viewer->zoom(), 0.25); // min(500/2000, 400/1000)
    QCOMPARE(viewer->zoomText(), QStringLiteral("Fit · 25 %"));
    QCOMPARE(viewer->visibleImageRect(), QRectF(0, 0, 2000, 1000));
    // Centred: 500 × 250 of content in a 500 × 400 viewport.
    QCOMPARE(viewer->mapFromImage(QPointF(0, 0)), QPointF(0, 75));

    viewer->setImage(pattern(100, 50));
    QCOMPARE(viewer->zoom(), 1.0); // fit never blows a small image up
    QCOMPARE(viewer->zoomText(), QStringLiteral("Fit · 100 %"));
    QCOMPARE(viewer->mapFromImage(QPointF(0, 0)), QPointF(200, 175));
}

void TestImageViewer::actualSizeIsOneImagePixelPerDevicePixel()
{
    auto viewer = makeViewer(QSize(500, 400), 1.0);
    viewer->setImage(pattern(2000, 1000));
    viewer->actualSize();
    QVERIFY(!viewer->isFitMode());
    QCOMPARE(viewer->zoom(), 1.0);
    QCOMPARE(viewer->zoomText(), QStringLiteral("100 %"));
    const QRectF visible = viewer->visibleImageRect();
    QCOMPARE(visible.size(), QSizeF(500, 400));
    // Centred on the image's middle.
    QCOMPARE(visible.center(), QPointF(1000, 500));
}

void TestImageViewer::highDpiFitAndActualSize()
{
    auto viewer = makeViewer(QSize(500, 400), 2.0);
    viewer->setImage(pattern(2000, 1000));
    // 500 × 400 logical = 1000 × 800 device pixels.
    QCOMPARE(viewer->zoom(), 0.5);
    QCOMPARE(viewer->visibleImageRect(), QRectF(0, 0, 2000, 1000));
    viewer->actualSize();
    QCOMPARE(viewer->visibleImageRect().size(), QSizeF(1000, 800));
    // One logical pixel covers two image pixels at 100 % on a 2× screen.
    const QPointF a = viewer->mapToImage(QPointF(100, 100));
    const QPointF b = viewer->mapToImage(QPointF(101, 100));
    QCOMPARE(b.x() - a.x(), 2.0);

    auto small = makeViewer(QSize(500, 400), 2.0);
    small->setImage(pattern(600, 400));
    QCOMPARE(small->zoom(), 1.0); // 1000 × 800 device pixels hold it at 100 %
}

void TestImageViewer::wheelZoomKeepsThePointUnderTheCursor()
{
    auto viewer = makeViewer(QSize(500, 400), 1.0);
    viewer->setImage(pattern(2000, 1000));
    viewer->actualSize();
    const QPointF cursor(120, 90);
    const QPointF before = viewer->mapToImage(cursor);
    QSignalSpy user(viewer.get(), &ImageViewer::viewChangedByUser);

    sendWheel(viewer->viewport(), cursor, 120, Qt::ControlModifier);
    QCOMPARE(viewer->zoom(), ImageViewer::zoomStep);
    QVERIFY(!user.isEmpty());
    QPointF after = viewer->mapToImage(cursor);
    QVERIFY2(std::abs(after.x() - before.x()) < 0.5 && std::abs(after.y() - before.y()) < 0.5,
             qPrintable(QStringLiteral("%1,%2 → %3,%4")
                            .arg(before.x())
                            .arg(before.y())
                            .arg(after.x())
                            .arg(after.y())));

    // A plain wheel zooms too (out, here), still around the cursor.
    const QPointF cursor2(400, 300);
    const QPointF before2 = viewer->mapToImage(cursor2);
    sendWheel(viewer->viewport(), cursor2, -120, Qt::NoModifier);
    QCOMPARE(viewer->zoom(), 1.0);
    after = viewer->mapToImage(cursor2);
    QVERIFY(std::abs(after.x() - before2.x()) < 0.5 && std::abs(after.y() - before2.y()) < 0.5);

    // setZoom() with an anchor, far in.
    const QPointF before3 = viewer->mapToImage(cursor);
    viewer->setZoom(6.0, cursor);
    const QPointF anchored = viewer->mapToImage(cursor);
    QVERIFY(std::abs(anchored.x() - before3.x()) < 0.5
            && std::abs(anchored.y() - before3.y()) < 0.5);
    QCOMPARE(viewer->zoomText(), QStringLiteral("600 %"));
}

void TestImageViewer::zoomIsClampedAndSaysWhatItIs()
{
    auto viewer = makeViewer(QSize(400, 300), 1.0);
    viewer->setImage(pattern(800, 600));
    viewer->setZoom(1000.0);
    QCOMPARE(viewer->zoom(), ImageViewer::maxZoom);
    QCOMPARE(viewer->zoomText(),
             QStringLiteral("3,200 %").replace(QLatin1Char(','), QLocale().groupSeparator()));
    viewer->setZoom(0.0001);
    QCOMPARE(viewer->zoom(), ImageViewer::minZoom);
    QCOMPARE(viewer->zoomText(),
             QStringLiteral("2.0 %").replace(QLatin1Char('.'), QLocale().decimalPoint()));
}

void TestImageViewer::dragAndScrollBarsPan()
{
    auto viewer = makeViewer(QSize(500, 400), 1.0);
    viewer->setImage(pattern(2000, 1000));
    viewer->actualSize();
    const QRectF start = viewer->visibleImageRect();

    QWidget *viewport = viewer->viewport();
    QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, QPoint(300, 200));
    QTest::mouseMove(viewport, QPoint(250, 170));
    QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, QPoint(250, 170));
    const QRectF dragged = viewer->visibleImageRect();
    QCOMPARE(dragged.topLeft(), start.topLeft() + QPointF(50, 30));
    QCOMPARE(dragged.size(), start.size());

    // Scroll bars are there (as needed) and move the same view.
    viewer->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    QCOMPARE(viewer->horizontalScrollBar()->maximum(), 2000 - viewer->viewport()->width());
    viewer->horizontalScrollBar()->setValue(1200);
    QCOMPARE(viewer->visibleImageRect().left(), 1200.0);
    viewer->horizontalScrollBar()->setValue(100000); // clamped to the image
    QCOMPARE(viewer->visibleImageRect().right(), 2000.0);

    // Panning never leaves the image.
    QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, QPoint(10, 10));
    QTest::mouseMove(viewport, QPoint(490, 390));
    QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, QPoint(490, 390));
    QCOMPARE(viewer->visibleImageRect().top(), 0.0);
}

void TestImageViewer::keysZoomAndFit()
{
    auto viewer = makeViewer(QSize(500, 400), 1.0);
    viewer->setImage(pattern(2000, 1000));
    QTest::keyClick(viewer.get(), Qt::Key_1);
    QCOMPARE(viewer->zoom(), 1.0);
    QTest::keyClick(viewer.get(), Qt::Key_Plus);
    QCOMPARE(viewer->zoom(), ImageViewer::zoomStep);
    QTest::keyClick(viewer.get(), Qt::Key_Minus);
    QTest::keyClick(viewer.get(), Qt::Key_Minus);
    QCOMPARE(viewer->zoom(), 1.0 / ImageViewer::zoomStep);
    QTest::keyClick(viewer.get(), Qt::Key_F);
    QVERIFY(viewer->isFitMode());
    QCOMPARE(viewer->zoom(), 0.25);
    viewer->actualSize();
    QTest::keyClick(viewer.get(), Qt::Key_0);
    QCOMPARE(viewer->zoom(), 0.25);
}

void TestImageViewer::resizeKeepsFit()
{
    auto viewer = makeViewer(QSize(500, 400), 1.0);
    viewer->setImage(pattern(2000, 1000));
    viewer->resize(1000, 800);
    QCOMPARE(viewer->zoom(), 0.5);
    viewer->actualSize();
    viewer->resize(500, 400);
    QCOMPARE(viewer->zoom(), 1.0); // not in Fit mode any more: the zoom stays
}

void TestImageViewer::missingFileShowsAPlainError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gone/0a1b.png"));
    auto viewer = makeViewer(QSize(400, 300), 1.0);
    viewer->setImageFile(path, pattern(64, 32), QSize(2048, 1024));
    QCOMPARE(viewer->state(), ImageViewer::State::Error);
    QVERIFY2(viewer->errorText().startsWith(QStringLiteral("The image file is missing: ")
                                            + QDir::toNativeSeparators(path) + QStringLiteral(".")),
             qPrintable(viewer->errorText()));
    QVERIFY(viewer->zoomText().isEmpty());
    // It paints (the message), without an image.
    const QImage shot = viewer->grab().toImage();
    QVERIFY(!shot.isNull());
}

void TestImageViewer::unreadableFileShowsAPlainError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken.png"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x89PNG\r\n\x1a\nnot really a png at all");
    file.close();
    auto viewer = makeViewer(QSize(400, 300), 1.0);
    viewer->setImageFile(path);
    QTRY_COMPARE(viewer->state(), ImageViewer::State::Error);
    QVERIFY2(viewer->errorText().startsWith(QStringLiteral("The image file can't be read: ")),
             qPrintable(viewer->errorText()));
}

void TestImageViewer::decodesOffTheGuiThreadShowingThePlaceholderMeanwhile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.png"));
    QVERIFY(pattern(2400, 1200).save(path));
    auto viewer = makeViewer(QSize(600, 400), 1.0);
    QSignalSpy states(viewer.get(), &ImageViewer::stateChanged);
    viewer->setImageFile(path, pattern(240, 120), QSize(2400, 1200));
    // At once: the placeholder at the full image's size.
    QCOMPARE(viewer->state(), ImageViewer::State::Loading);
    QCOMPARE(viewer->zoomText(), QStringLiteral("Loading…"));
    QCOMPARE(viewer->imageSize(), QSize(2400, 1200));
    QCOMPARE(viewer->zoom(), 0.25);
    QVERIFY(viewer->image().isNull());
    QTRY_COMPARE(viewer->state(), ImageViewer::State::Ready);
    QCOMPARE(viewer->image().size(), QSize(2400, 1200));
    QCOMPARE(viewer->image().pixel(70, 10), pattern(2400, 1200).pixel(70, 10));
    QCOMPARE(viewer->zoom(), 0.25);
    QCOMPARE(viewer->zoomText(), QStringLiteral("Fit · 25 %"));

    // A second request overtakes the first: only the last one is shown.
    const QString other = dir.filePath(QStringLiteral("other.png"));
    QVERIFY(pattern(300, 200).save(other));
    viewer->setImageFile(path);
    viewer->setImageFile(other);
    QTRY_COMPARE(viewer->state(), ImageViewer::State::Ready);
    QTest::qWait(50);
    QCOMPARE(viewer->image().size(), QSize(300, 200));
    QCOMPARE(viewer->filePath(), other);
}

QTEST_MAIN(TestImageViewer)
#include "tst_imageviewer.moc"
