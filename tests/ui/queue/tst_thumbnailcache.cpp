// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include "tests/support/tempdatadir.h"
#include "tests/ui/queue/queuetestutil.h"
#include "ui/queue/thumbnailcache.h"

using namespace brieflow;
using brieflow::ui::ThumbnailCache;

class TestThumbnailCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void decodesOffTheGuiThreadAndCachesOnDisk();
    void unreadableFileFailsOnce();
    void smallImagesAreNotEnlarged();
    void diskCacheKeepsTransparencyAndJpegsOpaqueOnes();
};

void TestThumbnailCache::decodesOffTheGuiThreadAndCachesOnDisk()
{
    test::TempDataDir dir;
    const QString file = dir.filePath(QStringLiteral("big.png"));
    QVERIFY(test::writeImage(file, QSize(1600, 900), Qt::darkMagenta));
    const QString sha = QStringLiteral("0123456789abcdef");
    {
        ThumbnailCache cache(dir.filePath(QStringLiteral("cache")));
        QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
        QVERIFY(cache.thumbnail(file, sha, 64).isNull());
        QCOMPARE(cache.decodesInFlight(), 1);
        QVERIFY(cache.thumbnail(file, sha, 64).isNull()); // asked twice, decoded once
        QVERIFY(ready.wait(5000));
        QCOMPARE(ready.at(0).at(0).toString(), sha);
        QCOMPARE(ready.at(0).at(1).toInt(), 64);
        const QImage thumb = cache.thumbnail(file, sha, 64);
        QCOMPARE(thumb.size(), QSize(64, 36));
        QCOMPARE(cache.decodeCount(), 1);
        QVERIFY(!cache.workedOnThread(QThread::currentThread()));
        QVERIFY(QFileInfo::exists(cache.cacheFile(sha, 64)));
        QVERIFY(cache.cacheFile(sha, 64).contains(QStringLiteral("/thumbnails/01/")));
    }
    // The next start reads the small file, not the original.
    ThumbnailCache again(dir.filePath(QStringLiteral("cache")));
    QSignalSpy ready(&again, &ThumbnailCache::thumbnailReady);
    QVERIFY(QFile::remove(file));
    QVERIFY(again.thumbnail(file, sha, 64).isNull());
    QVERIFY(ready.wait(5000));
    QCOMPARE(again.thumbnail(file, sha, 64).size(), QSize(64, 36));
    QCOMPARE(again.decodeCount(), 0);
    QVERIFY(!again.workedOnThread(QThread::currentThread()));
}

void TestThumbnailCache::unreadableFileFailsOnce()
{
    test::TempDataDir dir;
    ThumbnailCache cache(dir.filePath(QStringLiteral("cache")));
    QSignalSpy failed(&cache, &ThumbnailCache::thumbnailFailed);
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    const QString missing = dir.filePath(QStringLiteral("nope.png"));
    QVERIFY(cache.thumbnail(missing, QStringLiteral("ffff"), 32).isNull());
    QVERIFY(failed.wait(5000));
    QVERIFY(cache.thumbnail(missing, QStringLiteral("ffff"), 32).isNull());
    QTest::qWait(50);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(ready.count(), 0);
}

void TestThumbnailCache::smallImagesAreNotEnlarged()
{
    test::TempDataDir dir;
    const QString file = dir.filePath(QStringLiteral("small.png"));
    QVERIFY(test::writeImage(file, QSize(20, 10), Qt::yellow));
    ThumbnailCache cache(dir.filePath(QStringLiteral("cache")));
    QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
    cache.thumbnail(file, QStringLiteral("aaaa"), 96);
    QVERIFY(ready.wait(5000));
    QCOMPARE(cache.thumbnail(file, QStringLiteral("aaaa"), 96).size(), QSize(20, 10));
}

// Opaque thumbnails are cached as JPEG (cheap to write), transparent ones as PNG so the next
// start still shows them transparent; a JPEG source is decoded scaled and still comes out right.
void TestThumbnailCache::diskCacheKeepsTransparencyAndJpegsOpaqueOnes()
{
    test::TempDataDir dir;
    const QString opaque = dir.filePath(QStringLiteral("opaque.jpg"));
    QImage photo(1024, 768, QImage::Format_RGB32);
    photo.fill(QColor(200, 40, 40));
    QVERIFY(photo.save(opaque, "jpeg", 90));
    const QString clear = dir.filePath(QStringLiteral("clear.png"));
    QImage cutout(800, 800, QImage::Format_ARGB32);
    cutout.fill(Qt::transparent);
    {
        QPainter p(&cutout);
        p.fillRect(200, 200, 400, 400, Qt::blue);
    }
    QVERIFY(cutout.save(clear, "png"));
    const QString opaqueSha = QStringLiteral("aa11");
    const QString clearSha = QStringLiteral("bb22");
    {
        ThumbnailCache cache(dir.filePath(QStringLiteral("cache")));
        QSignalSpy ready(&cache, &ThumbnailCache::thumbnailReady);
        cache.thumbnail(opaque, opaqueSha, 128);
        cache.thumbnail(clear, clearSha, 128);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 5000);
        QCOMPARE(cache.thumbnail(opaque, opaqueSha, 128).size(), QSize(128, 96));
        const QColor c = cache.thumbnail(opaque, opaqueSha, 128).pixelColor(64, 48);
        QVERIFY2(qAbs(c.red() - 200) < 12 && c.green() < 60, qPrintable(c.name()));
    }
    QCOMPARE(QImageReader(
                 ThumbnailCache(dir.filePath(QStringLiteral("cache"))).cacheFile(opaqueSha, 128))
                 .format(),
             QByteArray("jpeg"));
    ThumbnailCache again(dir.filePath(QStringLiteral("cache")));
    QCOMPARE(QImageReader(again.cacheFile(clearSha, 128)).format(), QByteArray("png"));
    QSignalSpy ready(&again, &ThumbnailCache::thumbnailReady);
    again.thumbnail(clear, clearSha, 128);
    QVERIFY(ready.wait(5000));
    const QImage back = again.thumbnail(clear, clearSha, 128);
    QCOMPARE(again.decodeCount(), 0);
    QVERIFY(back.hasAlphaChannel());
    QCOMPARE(back.pixelColor(2, 2).alpha(), 0);
    QCOMPARE(back.pixelColor(64, 64).alpha(), 255);
}

QTEST_MAIN(TestThumbnailCache)
#include "tst_thumbnailcache.moc"
