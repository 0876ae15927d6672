// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QList>
#include <QPointer>
#include <QWidget>

#include "core/store/records.h"
#include "ui/gallery/promptjobdialog.h"

class QAction;
class QLabel;
class QListView;
class QPushButton;
class QStackedWidget;

namespace brieflow {
class JobStore;
class Settings;
} // namespace brieflow

namespace brieflow::ui {

class GalleryDelegate;
class GalleryFilterBar;
class GalleryModel;
class ThumbnailCache;

/**
 * The Gallery page: the filter bar, a grid of image tiles (GalleryModel + GalleryDelegate in a
 * QListView in icon mode: uniform tiles, batched layout, extended selection) and the actions on
 * the selection — Preview (Enter, double-click), Compare (2–4 images), Star/Unstar (S), Export…
 * (Ctrl+E), Re-run brief, New job from this prompt, Show job, Delete… (Del; confirmed, removes
 * the files). When there is nothing to show, a sentence says why and what to do.
 *
 * API for the integrator:
 *   GalleryPanel(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails,
 *                Settings *settings, QWidget *parent)
 *     reader: a store on the GUI thread for display; writer: a Writer on the GUI thread for
 *     stars, deleting and queueing (null: those actions are off); settings: for Export (null:
 *     no Export).
 *   slots:   refreshLater()   ← EngineHost::jobsChanged / jobSettled (coalesced; while the page
 *                               is hidden it only marks the grid stale and re-reads when shown)
 *            refresh()        re-reads now (and the filters' choices)
 *            focusSearch()
 *   signals: jobsQueued(QList<JobId>)   → refresh the queue, wake the engine
 *            showJobRequested(JobId)    → switch to Create and select the job
 *            imagesDeleted(QList<JobId>) → the jobs whose images went (refresh their rows)
 *            createRequested()          → switch to Create (the empty state's button)
 *            problem(QString)           → status bar
 *            status(QString)            → status bar (what an action did)
 */
class GalleryPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GalleryPanel)

public:
    GalleryPanel(JobStore &reader, JobStore *writer, ThumbnailCache *thumbnails, Settings *settings,
                 QWidget *parent = nullptr);
    ~GalleryPanel() override;

    enum class Action { Preview, Compare, Star, Export, Rerun, NewFromPrompt, ShowJob, Delete };
    QAction *action(Action which) const;

    GalleryModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    GalleryFilterBar *filterBar() const { return m_filters; }
    /** The empty-state text shown instead of the grid (empty when the grid shows). */
    QString emptyStateText() const;
    QPushButton *emptyStateButton() const { return m_emptyButton; }

    /** The selected images, in grid order. */
    QList<GalleryItem> selectedItems() const;
    QList<OutputId> selectedIds() const;
    /** Selects these images (the loaded ones) and makes the first current. */
    void selectImages(const QList<OutputId> &ids);

    /** Asks before deleting; replaceable for tests (the default is a QMessageBox). */
    using Confirm = std::function<bool(const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }

    /** The "New job from this prompt" dialog while it is open, else nullptr. */
    PromptJobDialog *promptDialog() const { return m_promptDialog.data(); }
    /** The preview, compare or export window last opened (for tests), else nullptr. */
    QWidget *lastOpenedWindow() const { return m_lastWindow.data(); }

public Q_SLOTS:
    void refresh();
    void refreshLater();
    void focusSearch();

    void previewSelected();
    void compareSelected();
    void toggleStarSelected();
    void exportSelected();
    void rerunSelected();
    void newJobFromPrompt();
    void showJobOfCurrent();
    void deleteSelected();

public:
    /** Opens the export dialog (non-modal) for these images; also for the job pane and the
     *  preview window's Export. */
    QWidget *openExport(const QList<brieflow::OutputId> &ids);

Q_SIGNALS:
    void jobsQueued(const QList<brieflow::JobId> &jobs);
    void showJobRequested(const brieflow::JobId &job);
    void imagesDeleted(const QList<brieflow::JobId> &jobs);
    void createRequested();
    void problem(const QString &message);
    void status(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildActions();
    void showContextMenu(const QPoint &pos);
    void updateActions();
    void updateEmptyState();
    void updateChoices();
    void setStarred(const QList<OutputId> &ids, bool starred);
    /** The current image (or the first selected), null when none. */
    const GalleryItem *currentItem() const;
    // The viewer windows, one small function each.
    QWidget *openPreview(const QList<OutputId> &ids, int current);
    QWidget *openCompare(const QList<OutputId> &ids);

    JobStore &m_reader;
    JobStore *m_writer;
    ThumbnailCache *m_thumbnails;
    Settings *m_settings;
    GalleryModel *m_model = nullptr;
    GalleryDelegate *m_delegate = nullptr;
    GalleryFilterBar *m_filters = nullptr;
    QListView *m_view = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_emptyPage = nullptr;
    QLabel *m_empty = nullptr;
    QPushButton *m_emptyButton = nullptr;
    QAction *m_preview = nullptr;
    QAction *m_compare = nullptr;
    QAction *m_star = nullptr;
    QAction *m_export = nullptr;
    QAction *m_rerun = nullptr;
    QAction *m_fromPrompt = nullptr;
    QAction *m_showJob = nullptr;
    QAction *m_delete = nullptr;
    Confirm m_confirm;
    QPointer<PromptJobDialog> m_promptDialog;
    QPointer<QWidget> m_previewWindow;
    QPointer<QWidget> m_lastWindow;
    bool m_stale = false;
};

} // namespace brieflow::ui
