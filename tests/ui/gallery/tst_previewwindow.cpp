// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QClipboard>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include "tests/core/export/exportfixture.h"
#include "ui/gallery/comparewindow.h"
#include "ui/gallery/imageviewer.h"
#include "ui/gallery/metadatapanel.h"
#include "ui/gallery/previewwindow.h"
#include "ui/queue/thumbnailcache.h"

using namespace brieflow;
using brieflow::ui::CompareWindow;
using brieflow::ui::ImageViewer;
using brieflow::ui::PreviewWindow;

class TestPreviewWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsTheImageAndItsStory();
    void nextAndPreviousChangeImageAndPrompt();
    void arrowKeysStepThroughTheList();
    void thumbnailFirstThenTheFullImage();
    void aDeletedImageSaysSo();
    void copyButtonsCopyThePrompt();
    void compareShowsEachImageWithItsCaption();
    void compareSyncsZoomAndPan();

private:
    std::unique_ptr<test::ExportFixture> m_fixture;
    std::unique_ptr<ui::ThumbnailCache> m_thumbnails;
    std::unique_ptr<QTemporaryDir> m_cacheDir;
};

void TestPreviewWindow::init()
{
    m_fixture = std::make_unique<test::ExportFixture>(4);
    QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
    m_cacheDir = std::make_unique<QTemporaryDir>();
    m_thumbnails = std::make_unique<ui::ThumbnailCache>(m_cacheDir->path());
}

void TestPreviewWindow::cleanup()
{
    m_thumbnails.reset();
    m_cacheDir.reset();
    m_fixture.reset();
}

void TestPreviewWindow::showsTheImageAndItsStory()
{
    const test::ExportFixtureJob &job = m_fixture->jobs().at(2); // WebP, seed in the input
    PreviewWindow window(m_fixture->store(), m_thumbnails.get(), nullptr);
    window.showImages({job.images.at(0).id}, 0);
    QCOMPARE(window.viewer()->filePath(), job.images.at(0).filePath);
    QTRY_COMPARE(window.viewer()->state(), ImageViewer::State::Ready);
    QCOMPARE(window.viewer()->image().size(), QSize(384, 480));

    const ui::MetadataPanel *panel = window.metadataPanel();
    QVERIFY2(panel->errorText().isEmpty(), qPrintable(panel->errorText()));
    QCOMPARE(panel->fieldText(QStringLiteral("product")), job.brief.productName);
    QCOMPARE(panel->fieldText(QStringLiteral("audience")), job.brief.audience);
    QCOMPARE(panel->conceptText(), job.conceptText);
    QCOMPARE(panel->imagePromptText(), job.imagePrompt);
    QCOMPARE(panel->fieldText(QStringLiteral("seed")), QString::number(job.seed));
    QCOMPARE(panel->fieldText(QStringLiteral("job")), job.id.toString());
    QCOMPARE(panel->fieldText(QStringLiteral("cost")), QStringLiteral("Not known yet"));
    QVERIFY2(
        panel->fieldText(QStringLiteral("file")).startsWith(QStringLiteral("384 × 480 px · WEBP")),
        qPrintable(panel->fieldText(QStringLiteral("file"))));
    const QString imageModel = panel->fieldText(QStringLiteral("model:image"));
    QVERIFY2(imageModel.startsWith(job.imageModel), qPrintable(imageModel));
    QVERIFY(imageModel.contains(job.imageVersion.left(12)));
    QVERIFY(panel->fieldText(QStringLiteral("model:concept")).startsWith(job.textModel));
    // Timings come from the lineage: the models' run time is known (the fixture's provider
    // times); queued and total need the job's creation time, which the fixture's store sets to
    // "now", after the provider times: then they are not made up but "Not recorded".
    const QString running = panel->fieldText(QStringLiteral("running"));
    QVERIFY2(running.endsWith(QStringLiteral(" s")), qPrintable(running));
    const bool ordered = panel->lineage()->jobCreatedAt <= panel->lineage()->imageCreatedAt;
    QCOMPARE(panel->fieldText(QStringLiteral("total")) == QStringLiteral("Not recorded"), !ordered);
    QCOMPARE(panel->fieldText(QStringLiteral("queued")) == QStringLiteral("Not recorded"),
             !ordered);
    QCOMPARE(window.positionText(), QStringLiteral("1 of 1"));
    QVERIFY(!window.previousButton()->isEnabled());
    QVERIFY(!window.nextButton()->isEnabled());
    QVERIFY(window.windowTitle().contains(job.brief.productName));
}

void TestPreviewWindow::nextAndPreviousChangeImageAndPrompt()
{
    const QList<OutputId> ids = m_fixture->outputIds(); // job 0: 2 images, job 1: 1, …
    const auto &jobs = m_fixture->jobs();
    PreviewWindow window(m_fixture->store(), m_thumbnails.get(), nullptr);
    QSignalSpy current(&window, &PreviewWindow::currentChanged);
    window.showImages(ids, 1);
    QCOMPARE(window.currentOutput(), jobs.at(0).images.at(1).id);
    QCOMPARE(window.metadataPanel()->imagePromptText(), jobs.at(0).imagePrompt);
    QCOMPARE(window.metadataPanel()->fieldText(QStringLiteral("images")).left(6),
             QStringLiteral("2 of 2"));
    QVERIFY(window.previousButton()->isEnabled());

    window.nextButton()->click();
    QCOMPARE(window.currentIndex(), 2);
    QCOMPARE(window.currentOutput(), jobs.at(1).images.at(0).id);
    QCOMPARE(window.viewer()->filePath(), jobs.at(1).images.at(0).filePath);
    QCOMPARE(window.metadataPanel()->imagePromptText(), jobs.at(1).imagePrompt);
    QTRY_COMPARE(window.viewer()->state(), ImageViewer::State::Ready);
    QCOMPARE(window.viewer()->image().size(), QSize(1024, 576));

    window.previousButton()->click();
    window.previousButton()->click();
    QCOMPARE(window.currentIndex(), 0);
    QCOMPARE(window.metadataPanel()->imagePromptText(), jobs.at(0).imagePrompt);
    QVERIFY(!window.previousButton()->isEnabled());
    window.showPrevious(); // at the start: stays
    QCOMPARE(window.currentIndex(), 0);
    QCOMPARE(current.size(), 4);

    window.showAt(static_cast<int>(ids.size()) - 1);
    QVERIFY(!window.nextButton()->isEnabled());
    QCOMPARE(window.metadataPanel()->imagePromptText(), jobs.at(3).imagePrompt);
    QCOMPARE(window.positionText(), QStringLiteral("7 of 7"));
}

void TestPreviewWindow::arrowKeysStepThroughTheList()
{
    const QList<OutputId> ids = m_fixture->outputIds();
    PreviewWindow window(m_fixture->store(), m_thumbnails.get(), nullptr);
    window.showImages(ids, 0);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.viewer()->setFocus();
    QTest::keyClick(window.viewer(), Qt::Key_Right);
    QCOMPARE(window.currentIndex(), 1);
    QTest::keyClick(window.viewer(), Qt::Key_Right);
    QCOMPARE(window.currentIndex(), 2);
    QCOMPARE(window.metadataPanel()->imagePromptText(), m_fixture->jobs().at(1).imagePrompt);
    QTest::keyClick(window.viewer(), Qt::Key_Left);
    QCOMPARE(window.currentIndex(), 1);
    QTest::keyClick(window.viewer(), Qt::Key_End);
    QCOMPARE(window.currentIndex(), static_cast<int>(ids.size()) - 1);
    QTest::keyClick(window.viewer(), Qt::Key_Home);
    QCOMPARE(window.currentIndex(), 0);
}

void TestPreviewWindow::thumbnailFirstThenTheFullImage()
{
    const OutputRecord image = m_fixture->jobs().at(1).images.at(0); // 1024 × 576 JPEG
    // The grid has made the thumbnail already.
    QVERIFY(m_thumbnails->thumbnail(image.filePath, image.sha256, 256).isNull());
    QTRY_VERIFY(!m_thumbnails->thumbnail(image.filePath, image.sha256, 256).isNull());

    PreviewWindow window(m_fixture->store(), m_thumbnails.get(), nullptr);
    window.resize(1000, 700);
    window.showImages({image.id}, 0);
    QCOMPARE(window.viewer()->state(), ImageViewer::State::Loading);
    QCOMPARE(window.viewer()->imageSize(), QSize(1024, 576)); // the thumbnail, at full size
    QCOMPARE(window.viewer()->zoomText(), QStringLiteral("Loading…"));
    QTRY_COMPARE(window.viewer()->state(), ImageViewer::State::Ready);
    QVERIFY(window.viewer()->zoomText().startsWith(QStringLiteral("Fit · ")));
}

void TestPreviewWindow::aDeletedImageSaysSo()
{
    const OutputRecord image = m_fixture->jobs().at(0).images.at(0);
    PreviewWindow window(m_fixture->store(), m_thumbnails.get(), nullptr);
    QVERIFY(QFile::remove(image.filePath));
    window.showImages({image.id, OutputId::generate()}, 0);
    QCOMPARE(window.viewer()->state(), ImageViewer::State::Error);
    QVERIFY(window.viewer()->errorText().startsWith(QStringLiteral("The image file is missing: ")));
    // The story is still there even when the file is gone.
    QCOMPARE(window.metadataPanel()->imagePromptText(), m_fixture->jobs().at(0).imagePrompt);

    window.showNext(); // an id with no row
    QCOMPARE(window.viewer()->state(), ImageViewer::State::Error);
    QCOMPARE(window.viewer()->errorText(),
             QStringLiteral("This image is no longer in Brieflow: it was deleted."));
    QVERIFY(window.metadataPanel()->imagePromptText().isEmpty());
}

void TestPreviewWindow::copyButtonsCopyThePrompt()
{
    const test::ExportFixtureJob &job = m_fixture->jobs().at(3);
    PreviewWindow window(m_fixture->store(), m_thumbnails.get(), nullptr);
    window.showImages({job.images.at(2).id}, 0);
    auto *copy = window.metadataPanel()->findChild<QPushButton *>(QStringLiteral("copy-prompt"));
    QVERIFY(copy);
    QSignalSpy copied(window.metadataPanel(), &ui::MetadataPanel::copied);
    copy->click();
    QCOMPARE(copied.size(), 1);
    QCOMPARE(QApplication::clipboard()->text(), job.imagePrompt);
    window.metadataPanel()->findChild<QPushButton *>(QStringLiteral("copy-concept"))->click();
    QCOMPARE(QApplication::clipboard()->text(), job.conceptText);
}

void TestPreviewWindow::compareShowsEachImageWithItsCaption()
{
    const auto &jobs = m_fixture->jobs();
    const QList<OutputId> ids{jobs.at(0).images.at(1).id, jobs.at(1).images.at(0).id,
                              jobs.at(3).images.at(2).id};
    CompareWindow window(m_fixture->store(), nullptr);
    window.compare(ids);
    QCOMPARE(window.viewerCount(), 3);
    QCOMPARE(window.findChildren<ImageViewer *>().size(), 3);
    QCOMPARE(window.caption(0), jobs.at(0).brief.productName + QStringLiteral(" · #2 of 2 · ")
                                    + jobs.at(0).imageModel.section(QLatin1Char('/'), -1));
    QVERIFY(
        window.caption(1).startsWith(jobs.at(1).brief.productName + QStringLiteral(" · #1 of 1")));
    QVERIFY(
        window.caption(2).startsWith(jobs.at(3).brief.productName + QStringLiteral(" · #3 of 3")));
    for (int i = 0; i < 3; ++i) {
        const ImageViewer *viewer = window.viewer(i);
        QVERIFY(viewer);
        QTRY_COMPARE(viewer->state(), ImageViewer::State::Ready);
    }
    QCOMPARE(window.viewer(1)->image().size(), QSize(1024, 576));

    // Four are laid out 2 × 2; a fifth is not shown.
    window.compare(m_fixture->outputIds());
    QCOMPARE(window.viewerCount(), CompareWindow::maxImages);
    QCOMPARE(window.findChildren<ImageViewer *>().size(), 4);
}

void TestPreviewWindow::compareSyncsZoomAndPan()
{
    const auto &jobs = m_fixture->jobs();
    CompareWindow window(m_fixture->store(), nullptr);
    window.resize(1200, 600);
    window.compare(
        {jobs.at(0).images.at(0).id, jobs.at(1).images.at(0).id, jobs.at(3).images.at(0).id});
    window.show();
    for (int i = 0; i < 3; ++i) {
        const ImageViewer *viewer = window.viewer(i);
        QVERIFY(viewer);
        QTRY_COMPARE(viewer->state(), ImageViewer::State::Ready);
    }
    QVERIFY(window.isSynced());

    // Zoom one: the same zoom everywhere.
    window.viewer(1)->setZoom(2.0);
    window.viewer(1)->zoomIn();
    const double zoom = window.viewer(1)->zoom();
    QCOMPARE(zoom, 2.0 * ImageViewer::zoomStep);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(window.viewer(i)->zoom(), zoom);

    // Pan one: the same relative spot everywhere.
    window.viewer(1)->centerOn(QPointF(0.3, 0.4));
    window.viewer(1)->zoomIn(); // a user action carries the centre to the others
    const QPointF centre = window.viewer(1)->centerFraction();
    for (int i = 0; i < 3; ++i) {
        const QPointF c = window.viewer(i)->centerFraction();
        QVERIFY2(std::abs(c.x() - centre.x()) < 0.01 && std::abs(c.y() - centre.y()) < 0.01,
                 qPrintable(QStringLiteral("viewer %1: %2,%3").arg(i).arg(c.x()).arg(c.y())));
    }

    // The toolbar's buttons act on all.
    window.fitAll();
    for (int i = 0; i < 3; ++i)
        QVERIFY(window.viewer(i)->isFitMode());

    // Unsynced: each image keeps its own zoom.
    window.syncButton()->click();
    QVERIFY(!window.isSynced());
    window.viewer(0)->setZoom(3.0);
    window.viewer(0)->zoomIn();
    QCOMPARE(window.viewer(0)->zoom(), 3.0 * ImageViewer::zoomStep);
    QVERIFY(window.viewer(2)->isFitMode());
    // Synced again: the others line up with the one used last.
    window.setSynced(true);
    QCOMPARE(window.viewer(2)->zoom(), 3.0 * ImageViewer::zoomStep);
}

QTEST_MAIN(TestPreviewWindow)
#include "tst_previewwindow.moc"
