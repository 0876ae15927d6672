// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

#include "tests/support/teststore.h"
#include "tests/ui/gallery/gallerytestutil.h"
#include "ui/gallery/gallerymodel.h"
#include "ui/queue/thumbnailcache.h"

using namespace brieflow;
using brieflow::ui::GalleryModel;

class TestGalleryModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pagesThroughManyImages();
    void filtersSelectTheExpectedRows();
    void rolesDescribeTheImage();
    void newImagesAppearAtTheTopKeepingTheSelection();
    void refreshLaterIsCoalesced();
    void starTogglingUpdatesTheRow();
    void deletedImagesLeaveWithoutAReset();
    void thumbnailArrivesForItsRowOnly();

private:
    QStringList ids(const GalleryModel &model) const;
    QDateTime at(int minutes) const { return m_base.addSecs(60 * minutes); }

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
    QString m_images;
    QDateTime m_base;
};

void TestGalleryModel::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
    m_images = m_dir->filePath(QStringLiteral("outputs"));
    m_base = QDateTime::currentDateTimeUtc().addDays(-3);
}

void TestGalleryModel::cleanup()
{
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

QStringList TestGalleryModel::ids(const GalleryModel &model) const
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row).data(GalleryModel::OutputIdRole).toString();
    return out;
}

void TestGalleryModel::pagesThroughManyImages()
{
    const int count = 2 * GalleryModel::pageSize + 50;
    {
        auto batch = m_writer->beginBatch();
        QVERIFY(batch.ok());
        const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
        QVERIFY(!job.id.isNull());
        for (int i = 0; i < count; ++i) {
            const QColor colour = QColor::fromRgb(static_cast<QRgb>(0xff000000u + i * 97));
            QVERIFY(!test::addGalleryImage(*m_writer, m_images, job, colour, at(i), {}, QSize(4, 4))
                         .id.isNull());
        }
        QVERIFY(batch->commit().ok());
    }
    {
        // The tester fetches every page while it checks the model.
        GalleryModel checked(*m_reader);
        QAbstractItemModelTester tester(&checked,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(checked.rowCount(), count);
    }
    GalleryModel model(*m_reader);
    QCOMPARE(model.rowCount(), GalleryModel::pageSize);
    QCOMPARE(model.totalCount(), count);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 2 * GalleryModel::pageSize);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), count);
    QVERIFY(!model.canFetchMore({}));
    // Newest first, each image once.
    const QStringList all = ids(model);
    QCOMPARE(QSet<QString>(all.cbegin(), all.cend()).size(), count);
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.index(row - 1).data(GalleryModel::CreatedRole).toDateTime()
                > model.index(row).data(GalleryModel::CreatedRole).toDateTime());
    QCOMPARE(model.index(0).data(GalleryModel::IndexInJobRole).toInt(), count);
    QCOMPARE(model.index(count - 1).data(GalleryModel::IndexInJobRole).toInt(), 1);
}

void TestGalleryModel::filtersSelectTheExpectedRows()
{
    const JobRecord trail = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    const JobRecord cafe = test::addGalleryJob(*m_writer, QStringLiteral("Café Ñandú"),
                                               JobStatus::Failed, QStringLiteral("Slow mornings."),
                                               QStringLiteral("A steaming cup on a windowsill"));
    const JobRecord notes = test::addGalleryJob(*m_writer, QStringLiteral("NoteKeeper"));
    const OutputRecord t1 = test::addGalleryImage(*m_writer, m_images, trail, Qt::red, at(1),
                                                  QStringLiteral("acme/painter"));
    const OutputRecord t2 = test::addGalleryImage(*m_writer, m_images, trail, Qt::green, at(2));
    const OutputRecord c1 = test::addGalleryImage(*m_writer, m_images, cafe, Qt::blue, at(3),
                                                  QStringLiteral("other/sketcher"));
    // Old: outside "Last 30 days".
    const OutputRecord n1 = test::addGalleryImage(*m_writer, m_images, notes, Qt::yellow,
                                                  QDateTime::currentDateTimeUtc().addDays(-40),
                                                  QStringLiteral("acme/painter"));
    QVERIFY(m_writer->setOutputsStarred({n1.id, t1.id}, true).ok());

    GalleryModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(ids(model),
             (QStringList{c1.id.toString(), t2.id.toString(), t1.id.toString(), n1.id.toString()}));
    QVERIFY(!GalleryModel::isFiltered(model.query()));

    GalleryQuery q;
    q.product = QStringLiteral("traillite 2"); // case doesn't matter
    model.setQuery(q);
    QVERIFY(GalleryModel::isFiltered(model.query()));
    QCOMPARE(ids(model), (QStringList{t2.id.toString(), t1.id.toString()}));
    QCOMPARE(model.totalCount(), 2);

    q = {};
    q.model = QStringLiteral("other/sketcher");
    model.setQuery(q);
    QCOMPARE(ids(model), QStringList{c1.id.toString()});

    q = {};
    q.status = JobStatus::Failed;
    model.setQuery(q);
    QCOMPARE(ids(model), QStringList{c1.id.toString()});

    q = {};
    q.starredOnly = true;
    model.setQuery(q);
    QCOMPARE(ids(model), (QStringList{t1.id.toString(), n1.id.toString()}));

    q = {};
    q.text = QStringLiteral("windowsill"); // in the image prompt only
    model.setQuery(q);
    QCOMPARE(ids(model), QStringList{c1.id.toString()});

    q = {};
    q.from = QDateTime::currentDateTimeUtc().addDays(-30);
    model.setQuery(q);
    QCOMPARE(model.totalCount(), 3);
    QVERIFY(!ids(model).contains(n1.id.toString()));

    q.text = QStringLiteral("no such words anywhere");
    model.setQuery(q);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 0);
}

void TestGalleryModel::rolesDescribeTheImage()
{
    const JobRecord job =
        test::addGalleryJob(*m_writer, QStringLiteral("Café Ñandú"), JobStatus::Failed);
    const OutputRecord first = test::addGalleryImage(*m_writer, m_images, job, Qt::red, at(1),
                                                     QStringLiteral("acme/x"), QSize(32, 16));
    const OutputRecord second = test::addGalleryImage(*m_writer, m_images, job, Qt::blue, at(2));
    GalleryModel model(*m_reader);
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex older = model.index(1);
    QCOMPARE(older.data(GalleryModel::OutputIdRole).toString(), first.id.toString());
    QCOMPARE(older.data(GalleryModel::JobIdRole).toString(), job.id.toString());
    QCOMPARE(older.data(GalleryModel::FilePathRole).toString(), first.filePath);
    QCOMPARE(older.data(GalleryModel::Sha256Role).toString(), first.sha256);
    QCOMPARE(older.data(GalleryModel::ProductRole).toString(), QStringLiteral("Café Ñandú"));
    QCOMPARE(older.data(GalleryModel::ModelRole).toString(), QStringLiteral("acme/x"));
    QCOMPARE(older.data(GalleryModel::JobStatusRole).toInt(), int(JobStatus::Failed));
    QCOMPARE(older.data(GalleryModel::StarredRole).toBool(), false);
    QCOMPARE(older.data(GalleryModel::CreatedRole).toDateTime(), at(1));
    QCOMPARE(older.data(GalleryModel::IndexInJobRole).toInt(), 1);
    QCOMPARE(model.index(0).data(GalleryModel::IndexInJobRole).toInt(), 2);
    QCOMPARE(older.data(GalleryModel::SizeRole).toSize(), QSize(32, 16));
    QCOMPARE(older.data(GalleryModel::BytesRole).toLongLong(), first.bytes);
    QCOMPARE(older.data(Qt::DisplayRole).toString(), QStringLiteral("Café Ñandú #1"));
    QVERIFY(older.data(Qt::ToolTipRole).toString().contains(QStringLiteral("acme/x")));
    QCOMPARE(model.rowOf(second.id), 0);
    QCOMPARE(model.rowOf(OutputId(QStringLiteral("nope"))), -1);
    // No cache: no decoration, and asking never fails.
    QVERIFY(older.data(Qt::DecorationRole).isNull());
}

void TestGalleryModel::newImagesAppearAtTheTopKeepingTheSelection()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    QList<OutputRecord> old;
    for (int i = 0; i < 3; ++i)
        old << test::addGalleryImage(*m_writer, m_images, job, QColor(10 * i, 0, 0), at(i));
    GalleryModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QItemSelectionModel selection(&model);
    selection.select(model.index(1), QItemSelectionModel::Select);
    QCOMPARE(model.index(1).data(GalleryModel::OutputIdRole).toString(), old.at(1).id.toString());

    const JobRecord other = test::addGalleryJob(*m_writer, QStringLiteral("NoteKeeper"));
    const OutputRecord a = test::addGalleryImage(*m_writer, m_images, other, Qt::cyan, at(10));
    const OutputRecord b = test::addGalleryImage(*m_writer, m_images, other, Qt::magenta, at(11));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.resync();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);
    QCOMPARE(ids(model).mid(0, 2), (QStringList{b.id.toString(), a.id.toString()}));
    QCOMPARE(model.totalCount(), 5);
    const QModelIndexList selected = selection.selectedIndexes();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data(GalleryModel::OutputIdRole).toString(), old.at(1).id.toString());
}

void TestGalleryModel::refreshLaterIsCoalesced()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    GalleryModel model(*m_reader);
    QCOMPARE(model.rowCount(), 0);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 3; ++i) {
        test::addGalleryImage(*m_writer, m_images, job, QColor(0, 20 * i, 0), at(i));
        model.refreshLater();
    }
    QVERIFY(model.hasPendingRefresh());
    QCOMPARE(model.rowCount(), 0); // not yet
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.count(), 1); // one re-read for the three notifications
    QVERIFY(!model.hasPendingRefresh());
}

void TestGalleryModel::starTogglingUpdatesTheRow()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    const OutputRecord a = test::addGalleryImage(*m_writer, m_images, job, Qt::red, at(1));
    const OutputRecord b = test::addGalleryImage(*m_writer, m_images, job, Qt::blue, at(2));
    GalleryModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int row = model.rowOf(a.id);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(m_writer->setOutputsStarred({a.id}, true).ok());
    model.resync();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), row);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), row);
    QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(GalleryModel::StarredRole));
    QVERIFY(model.index(row).data(GalleryModel::StarredRole).toBool());
    QVERIFY(!model.index(model.rowOf(b.id)).data(GalleryModel::StarredRole).toBool());

    // Under "Starred only", unstarring takes the image out of the grid.
    GalleryQuery starred;
    starred.starredOnly = true;
    model.setQuery(starred);
    QCOMPARE(ids(model), QStringList{a.id.toString()});
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(m_writer->setOutputsStarred({a.id}, false).ok());
    model.resync();
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 0);
}

void TestGalleryModel::deletedImagesLeaveWithoutAReset()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    QList<OutputRecord> images;
    for (int i = 0; i < 5; ++i)
        images << test::addGalleryImage(*m_writer, m_images, job, QColor(0, 0, 40 * i), at(i));
    GalleryModel model(*m_reader);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(m_writer->deleteOutputs({images.at(1).id, images.at(2).id, images.at(4).id}).ok());
    model.resync();
    QCOMPARE(reset.count(), 0);
    QCOMPARE(ids(model), (QStringList{images.at(3).id.toString(), images.at(0).id.toString()}));
    QCOMPARE(model.totalCount(), 2);
}

void TestGalleryModel::thumbnailArrivesForItsRowOnly()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    test::addGalleryImage(*m_writer, m_images, job, Qt::red, at(1), {}, QSize(600, 300));
    test::addGalleryImage(*m_writer, m_images, job, Qt::blue, at(2), {}, QSize(300, 600));
    ui::ThumbnailCache cache(m_dir->filePath(QStringLiteral("cache")));
    GalleryModel model(*m_reader);
    model.setThumbnailCache(&cache);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.index(1).data(Qt::DecorationRole).isNull()); // being made
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{Qt::DecorationRole});
    const QImage thumbnail = model.index(1).data(Qt::DecorationRole).value<QImage>();
    QVERIFY(!thumbnail.isNull());
    QCOMPARE(thumbnail.width(), qRound(GalleryModel::thumbnailEdge * thumbnail.devicePixelRatio()));
    QCOMPARE(thumbnail.pixelColor(10, 10), QColor(Qt::red));
    // The other row was never asked for, so nothing was made for it.
    QCOMPARE(changed.count(), 1);
}

QTEST_MAIN(TestGalleryModel)
#include "tst_gallerymodel.moc"
