// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include "core/paths.h"
#include "core/pipeline/enginetypes.h"
#include "core/store/records.h"
#include "ui/shell/settingsdialog.h"

class QSplitter;
class QStackedWidget;
class QSystemTrayIcon;
class QTableView;
class QIcon;
class QTimer;

namespace brieflow {
class EngineHost;
class JobStore;
class Settings;
struct Brief;
} // namespace brieflow

namespace brieflow::ui {

class Banner;
class BriefForm;
class CsvImportDialog;
class GalleryPanel;
class ImageReimport;
class JobDetailView;
class JobEstimates;
class JobTableModel;
class LagMonitor;
class MonitorPanel;
class NavigationRail;
class ProviderProbe;
class QueuePanel;
class SharedToken;
class StatusIndicators;
class ThumbnailCache;
class Toast;
class TokenStore;

/**
 * The main window: a navigation rail on the left (Create, Gallery, Monitor; Settings at the
 * bottom)
 * switching between the Create page — the brief form, the queue and the job detail side by side
 * (splitter sizes remembered) — and the Gallery; the banners (demo, needs attention, engine
 * problems) and the status bar; wires them to the engine and the job store. Behaviour lives in the
 * panes and dialogs; everything it talks to is passed in by main() (see Services).
 */
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /** The status bar's counts follow the engine at most this often. */
    static constexpr int countsIntervalMs = 250;
    struct Services {
        JobStore *writer = nullptr; ///< GUI-thread Writer: submitting, deleting, reordering
        JobStore *reader = nullptr; ///< GUI-thread store for display; null: the writer
        Settings *settings = nullptr;
        Paths paths;
        EngineHost *engine = nullptr; ///< null: briefs are queued but nothing runs them here
        TokenStore *tokens = nullptr; ///< where Settings keeps the token; null: nowhere
        SharedToken *token = nullptr; ///< the token the engine uses
        QUrl providerApiBase;         ///< Test connection and model checks; empty: Replicate
    };

    explicit MainWindow(const Services &services, QWidget *parent = nullptr);
    /** Queue-only window over one store (no engine, no token). */
    MainWindow(JobStore &store, Settings &settings, const Paths &paths, QWidget *parent = nullptr);
    ~MainWindow() override;

    /** The pages of the rail, in its order. */
    enum class Page { Create, Gallery, Monitor };
    Page currentPage() const;
    NavigationRail *navigationRail() const { return m_rail; }
    GalleryPanel *galleryPanel() const { return m_gallery; }
    MonitorPanel *monitorPanel() const { return m_monitor; }
    ImageReimport *imageReimport() const { return m_reimport; }

    BriefForm *briefForm() const { return m_form; }
    QueuePanel *queuePanel() const { return m_queue; }
    JobDetailView *jobDetail() const { return m_detail; }
    /** ETAs and cost estimates shared by the queue, the job pane, the form and CSV import. */
    JobEstimates *estimates() const { return m_estimates; }
    JobTableModel *jobModel() const;
    QTableView *queueView() const;
    Banner *demoBanner() const { return m_demoBanner; }
    Banner *attentionBanner() const { return m_attentionBanner; }
    Banner *engineBanner() const { return m_engineBanner; }
    StatusIndicators *statusIndicators() const { return m_indicators; }
    LagMonitor *lagMonitor() const { return m_lag; }
    /** The settings dialog while it is open, else nullptr. */
    SettingsDialog *settingsDialog() const { return m_settingsDialog.data(); }
    CsvImportDialog *csvImportDialog() const;
    /** The last notification text (toast or system), for tests. */
    QString lastNotification() const { return m_lastNotification; }

    /** Opens URLs (billing page, folders); replaceable for tests (default: QDesktopServices). */
    using UrlOpener = std::function<void(const QUrl &url)>;
    void setUrlOpener(UrlOpener opener) { m_openUrl = std::move(opener); }

public Q_SLOTS:
    /** Opens Settings on @p page (window-modal, not blocking) and returns it. */
    SettingsDialog *openSettings(brieflow::ui::SettingsDialog::Page page);
    /** Reads @p path and opens the import preview; nothing is queued before it is confirmed. */
    void importCsvFile(const QString &path);
    void showShortcuts();
    void showPage(brieflow::ui::MainWindow::Page page);
    /** File ▸ Open image… for @p path: recalls the brief an exported image carries. */
    void openImageFile(const QString &path);
    /** Switches to Create and selects @p job in the queue (Gallery's "Show job"). */
    void showJob(const brieflow::JobId &job);

Q_SIGNALS:
    /** Demo mode: a token was saved and the user asked to run for real (main restarts). */
    void switchToRealModeRequested();
    /** Every job queued since the queue was last empty has settled. */
    void batchFinished(int succeeded, int failed);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildBanners();
    QWidget *buildNavigation(QWidget *createPage);
    /** Jobs queued outside the form (re-run, from a prompt, re-import): show and run them. */
    void onJobsQueued(const QList<brieflow::JobId> &jobs);
    void connectEngine();
    void queueBrief(const brieflow::Brief &brief);
    void chooseCsvFile();
    void queueBriefs(const QList<brieflow::Brief> &briefs, const QString &source);
    void showStatus(const QString &message);
    /** Reads the status bar's counts now (cheap: index ranges) and checks for a finished
     *  batch. */
    void updateCounts();
    /** updateCounts() soon, at most every countsInterval: for the engine's notifications. */
    void scheduleCounts();
    void onEngineStarted(bool ok, const QString &error);
    void onAttention(const brieflow::EngineProblem &problem);
    void onJobSettled(const brieflow::JobId &job, brieflow::JobStatus status);
    void onTokenChanged();
    void checkConnection();
    void notify(const QString &title, const QString &text, const QIcon &icon = {});
    void openUrl(const QUrl &url);
    JobStore &reader() const;

    Services m_services;
    bool m_demo = false;
    ThumbnailCache *m_thumbnails = nullptr;
    BriefForm *m_form = nullptr;
    QueuePanel *m_queue = nullptr;
    JobDetailView *m_detail = nullptr;
    JobEstimates *m_estimates = nullptr;
    QSplitter *m_splitter = nullptr;
    NavigationRail *m_rail = nullptr;
    QStackedWidget *m_pages = nullptr;
    GalleryPanel *m_gallery = nullptr;
    MonitorPanel *m_monitor = nullptr;
    ImageReimport *m_reimport = nullptr;
    Banner *m_demoBanner = nullptr;
    Banner *m_attentionBanner = nullptr;
    Banner *m_engineBanner = nullptr;
    StatusIndicators *m_indicators = nullptr;
    LagMonitor *m_lag = nullptr;
    ProviderProbe *m_probe = nullptr;
    Toast *m_toast = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer *m_countsTimer = nullptr;
    QTimer *m_rateLimitNotice = nullptr; ///< clears the "slow down" notice after its delay
    QPointer<SettingsDialog> m_settingsDialog;
    QPointer<CsvImportDialog> m_csvDialog;
    UrlOpener m_openUrl;
    QString m_lastNotification;
    // The current batch: jobs queued since the queue was last empty.
    bool m_batchActive = false;
    int m_batchSucceeded = 0;
    int m_batchFailed = 0;
    bool m_tokenSavedInDemo = false;
};

} // namespace brieflow::ui
