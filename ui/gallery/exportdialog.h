// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QDialog>
#include <QList>
#include <QThreadPool>

#include "core/export/exporter.h"
#include "core/store/records.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSlider;
class QUrl;

namespace brieflow {
class JobStore;
class Settings;
} // namespace brieflow

namespace brieflow::ui {

/** The user's answer when some export file names already exist. */
enum class ConflictChoice { Replace, KeepBoth, Skip, Cancel };

/**
 * Exports images with their story, without ever blocking the GUI thread (non-modal; open it
 * with show()). The choices: the folder (default: the last one used, else Pictures), PNG /
 * JPEG / WebP, a quality for JPEG and WebP ("Original" keeps the stored bytes when the format
 * matches), a file-name template with a live example and an error for unknown placeholders,
 * JSON sidecars, a ZIP bundle (and its name), a PDF campaign sheet. Remembered in the settings
 * file, group "export".
 *
 * Export plans on a worker thread (its own read-only store connection), asks about existing
 * files (Replace / Keep both / Skip / Cancel, naming how many), then runs an ExportTask with a
 * progress bar, the current file name and Cancel. Done: "Exported N images to <folder>" and
 * "Show in folder"; failure: the outcome's message.
 *
 *   ExportDialog(JobStore &reader, Settings &settings, const QList<OutputId> &ids, parent)
 *     reader: a store on the GUI thread (its file is opened again read-only for planning)
 */
class ExportDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    enum class Phase { Editing, Planning, Asking, Running, Done, Canceled, Failed };

    ExportDialog(JobStore &reader, Settings &settings, const QList<brieflow::OutputId> &ids,
                 QWidget *parent = nullptr);
    /** Cancels a running export and waits for it to clean up. */
    ~ExportDialog() override;

    /**
     * Asks what to do about existing files and calls @p answer (at once or later). The
     * default opens a window-modal message box; tests replace it.
     */
    using ConflictQuestion = std::function<void(const QStringList &existing, const QString &folder,
                                                std::function<void(ConflictChoice)> answer)>;
    void setConflictQuestion(ConflictQuestion question) { m_question = std::move(question); }
    /** Opens the folder for "Show in folder"; replaceable for tests (default: QDesktopServices). */
    using Opener = std::function<void(const QUrl &url)>;
    void setOpener(Opener opener) { m_opener = std::move(opener); }

    QList<OutputId> outputs() const { return m_ids; }
    Phase phase() const { return m_phase; }
    /** The line under the progress bar: what happens, what happened. */
    QString statusText() const;
    /** The request Export would make with the current choices. */
    ExportRequest request() const;
    /** The example file name for the current template and format; empty on a template error. */
    QString exampleName() const { return m_example; }
    /** The template's error ("Unknown placeholder {x} …"); empty when it is fine. */
    QString templateError() const { return m_templateError; }
    /** The last outcome, once an export ended. */
    const std::optional<ExportOutcome> &outcome() const { return m_outcome; }

    void setFolder(const QString &folder);
    QString folder() const;

    // The controls, for tests and the integrator.
    QLineEdit *folderEdit() const { return m_folder; }
    QComboBox *formatBox() const { return m_format; }
    QCheckBox *originalQualityBox() const { return m_original; }
    QSlider *qualitySlider() const { return m_quality; }
    QLineEdit *templateEdit() const { return m_template; }
    QCheckBox *sidecarsBox() const { return m_sidecars; }
    QCheckBox *zipBox() const { return m_zip; }
    QLineEdit *zipNameEdit() const { return m_zipName; }
    QCheckBox *pdfBox() const { return m_pdf; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *closeButton() const { return m_close; }
    QPushButton *showInFolderButton() const { return m_showFolder; }
    QProgressBar *progressBar() const { return m_progress; }

public Q_SLOTS:
    /** Export: plan, ask about conflicts, run. Does nothing while one runs. */
    void startExport();
    /** Stops a running export (everything it wrote is removed) or a pending question. */
    void cancelExport();
    void chooseFolder();
    void showInFolder();

Q_SIGNALS:
    /** The task is about to start (tests connect to its progress here). */
    void exportStarted(brieflow::ExportTask *task);
    /** An export ended (Done, Canceled or Failed). */
    void exportFinished(const brieflow::ExportOutcome &outcome);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    struct Planned;
    void loadPreferences();
    void savePreferences();
    void updateFormatControls();
    void updateExample();
    void updateButtons();
    void setPhase(Phase phase, const QString &status);
    void showStatus(const QString &text);
    void plan(OverwritePolicy policy);
    void onPlanned(const Planned &planned);
    void askAboutConflicts(const ExportPlan &planned);
    void run(ExportPlan plan);
    void onFinished(const ExportOutcome &outcome);

    JobStore &m_store;
    Settings &m_settings;
    std::unique_ptr<QSettings> m_prefs;
    QList<OutputId> m_ids;
    std::optional<ImageLineage> m_first; ///< the first image's lineage, for the example name
    QString m_example;
    QString m_templateError;
    Phase m_phase = Phase::Editing;
    quint64 m_planGeneration = 0;
    std::unique_ptr<ExportTask> m_task;
    int m_imagesPlanned = 0; ///< images to write (not skipped)
    int m_imagesSkipped = 0;
    QString m_zipFile; ///< the bundle's name, when the export makes one
    QString m_targetFolder;
    std::optional<ExportOutcome> m_outcome;
    bool m_closeWhenDone = false;
    QString m_statusText; ///< as given; the label shows it with break opportunities in paths
    ConflictQuestion m_question;
    Opener m_opener;
    QThreadPool m_pool; ///< planning; not Qt's global pool (the raster engine paints there)

    QLabel *m_summary = nullptr;
    QLineEdit *m_folder = nullptr;
    QPushButton *m_choose = nullptr;
    QComboBox *m_format = nullptr;
    QCheckBox *m_original = nullptr;
    QSlider *m_quality = nullptr;
    QLabel *m_qualityValue = nullptr;
    QLineEdit *m_template = nullptr;
    QLabel *m_exampleLabel = nullptr;
    QCheckBox *m_sidecars = nullptr;
    QCheckBox *m_zip = nullptr;
    QLineEdit *m_zipName = nullptr;
    QCheckBox *m_pdf = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_showFolder = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
};

/** Opens an ExportDialog for @p ids (deleted when closed), shown and raised. */
ExportDialog *openExportDialog(JobStore &reader, Settings &settings,
                               const QList<brieflow::OutputId> &ids, QWidget *parent);

} // namespace brieflow::ui
